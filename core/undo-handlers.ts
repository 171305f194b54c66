/**
 * Every module that registers how its host changes are undone (see
 * core/host/undo.ts). Imported for that effect wherever a journal may be
 * replayed, so even a fresh kit process cleaning up after a killed one knows
 * every kind of record.
 */
import './network/undo';
import './network/host-network';
import './cgroups/undo';
import './storage/dm-undo';
import './userns/undo';
import './storage/btrfs';
