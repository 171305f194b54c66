import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSubordinate, SUBUID_FILE } from '../../core/userns/subordinate';
import { USERNS_STATE_DIR } from '../../core/userns/remap-user';
import { eventually } from './kit';

/**
 * The `kit` user's ranges in /etc/subuid: what kit makes and undoes. The
 * file is host-global, and other test files add and remove users of their
 * own at the same time, so a test compares only these lines.
 */
export function kitRanges(): string[] {
  return readSubordinate(SUBUID_FILE)
    .filter((r) => r.user === 'kit')
    .map((r) => `${r.user}:${r.start}:${r.count}`);
}

/**
 * Until no container of any kit process holds the `kit` user: only then
 * has the last one out undone it. Other test files run user-namespace
 * containers at the same time as this one.
 */
export async function kitUserReleased(): Promise<void> {
  const holders = join(USERNS_STATE_DIR, 'holders');
  await eventually(() => !existsSync(holders) || readdirSync(holders).length === 0, 45000);
}

/** The `kit` user as kit may make and undo it: its /etc/passwd line and its subordinate ranges. */
export function kitUserState(): { passwd: string | undefined; ranges: string[] } {
  return { passwd: readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('kit:')), ranges: kitRanges() };
}
