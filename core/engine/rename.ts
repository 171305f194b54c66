import { existsSync, readFileSync, readlinkSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KitError } from '../errors';
import { HostChanges } from '../host/journal';
import type { KitPaths } from '../paths';
import { containerLayerDir } from '../storage/containers';
import { TraceRecorder } from '../trace/recorder';
import { claimName, findAnyContainer, lookupAnyContainer } from './names';
import { updateRecord } from './record';
import { journalFile, readState, writeState } from './state';

/**
 * `kit rename OLD NEW`, as `docker rename`: running or not. A running
 * container's name is a link in <state>/names claimed as `kit run --name`
 * claims one (its removal journaled with the container's other changes, so
 * its owner removes it at the end); then the old link goes, and the state,
 * the kept record and the layer's container.json say the new name.
 */
export function renameContainer(paths: KitPaths, ref: string, name: string): string {
  const c = findAnyContainer(paths, ref);
  if (c.name === name) throw new KitError(`container ${ref} is already named ${name}`, 'give another name');
  const holder = lookupAnyContainer(paths, name);
  if (holder && holder.name === name) throw new KitError(`the name "${name}" is already in use by container ${holder.id}`, `remove it (kit rm -f ${name}) or choose another name`);
  if (c.running) {
    claimName(paths, name, c.id, new HostChanges(journalFile(paths, c.id), new TraceRecorder()));
    dropLink(paths, c.name, c.id);
    const state = readState(paths, c.id);
    if (state) writeState(paths, { ...state, name, spec: { ...state.spec, name } });
  }
  if (c.record) updateRecord(paths, c.id, (r) => ({ ...r, name, spec: { ...r.spec, name } }));
  renameLayer(paths, c.id, name);
  return c.id;
}

/** The old name's link, if it is still this container's. */
function dropLink(paths: KitPaths, name: string, id: string): void {
  const link = join(paths.state, 'names', name);
  try {
    if (readlinkSync(link) === id) rmSync(link, { force: true });
  } catch {
    // no link: it ran without --name
  }
}

/** The layer's container.json names it too (kit diff, commit and rm of a stopped container find it by it). */
function renameLayer(paths: KitPaths, id: string, name: string): void {
  const file = join(containerLayerDir(paths, id), 'container.json');
  if (!existsSync(file)) return;
  const layer = JSON.parse(readFileSync(file, 'utf8')) as { name?: string };
  writeFileSync(file + '.tmp', JSON.stringify({ ...layer, name }, null, 2));
  renameSync(file + '.tmp', file);
}
