import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KitError } from '../errors';
import { processStat, type ProcessRef } from '../host/process';
import { isPaused } from '../engine/pause';
import type { KitPaths } from '../paths';
import type { ContainerSpec } from '../spec';
import type { OciConfig } from './config';
import { OCI_VERSION } from './version';

/**
 * A container kit-runtime created, in <state>/oci/<id>/ under --root: its
 * state.json, the journal of its host changes (undone by `delete`), and
 * exec.fifo while it waits for `start`. Unlike `kit run`'s containers no kit
 * process owns it: `create` exits, and the caller's subreaper (conmon,
 * containerd's shim) waits for its first process.
 */
export interface OciContainer {
  id: string;
  /** The bundle directory, resolved. */
  bundle: string;
  /** The container's first process, with its start time (a pid alone may be reused once it is reaped). */
  init: ProcessRef;
  created: string;
  annotations: Record<string, string>;
  /** What it was made from: `kit-runtime exec` joins it, pause/resume find its cgroups. */
  spec: ContainerSpec;
  /**
   * The hooks that run after create (poststart, poststop), as config.json had
   * them at create: start and delete run them without reading (and checking
   * again) the bundle, which may be gone by then, as runc keeps its config.
   */
  hooks?: Pick<NonNullable<OciConfig['hooks']>, 'poststart' | 'poststop'>;
}

/** runc's statuses. */
export type OciStatus = 'created' | 'running' | 'paused' | 'stopped';

/** The ids runc accepts, which are also safe as one path component. */
export const ID_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,1023}$/;

export function checkId(id: string | undefined, verb: string): string {
  if (!id) throw new KitError(`${verb}: the container id is missing`, `kit-runtime ${verb} ID`);
  if (!ID_PATTERN.test(id)) throw new KitError(`${verb}: "${id}" is not a valid container id`, 'letters, digits, _ . - (not starting with one of the last three)');
  return id;
}

export function ociRoot(paths: KitPaths): string {
  return join(paths.state, 'oci');
}

export function ociDir(paths: KitPaths, id: string): string {
  return join(ociRoot(paths), id);
}

export function fifoPath(paths: KitPaths, id: string): string {
  return join(ociDir(paths, id), 'exec.fifo');
}

export function writeContainer(paths: KitPaths, container: OciContainer): void {
  const file = join(ociDir(paths, container.id), 'state.json');
  writeFileSync(file + '.tmp', JSON.stringify(container, null, 2));
  renameSync(file + '.tmp', file);
}

/** The container, or undefined while it is still being created (or never was). */
export function readContainer(paths: KitPaths, id: string): OciContainer | undefined {
  try {
    return JSON.parse(readFileSync(join(ociDir(paths, id), 'state.json'), 'utf8')) as OciContainer;
  } catch {
    return undefined;
  }
}

/** The container, or runc's error for an id it does not know. */
export function findContainer(paths: KitPaths, id: string): OciContainer {
  const container = readContainer(paths, id);
  if (!container) throw new KitError(`container "${id}" does not exist`, '`kit-runtime list` shows the containers under this --root');
  return container;
}

export function listContainers(paths: KitPaths): OciContainer[] {
  const root = ociRoot(paths);
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((id) => readContainer(paths, id) ?? []);
}

/**
 * created: its init waits at exec.fifo; running: the command runs (paused:
 * its cgroup is frozen); stopped: the process has exited, even if its
 * parent has not reaped it yet (a zombie), or its pid now names another.
 */
export function statusOf(paths: KitPaths, container: OciContainer): OciStatus {
  const stat = processStat(container.init.pid);
  if (!stat || stat.state === 'Z' || stat.startTime !== container.init.startTime) return 'stopped';
  if (existsSync(fifoPath(paths, container.id))) return 'created';
  return isPaused(container.spec, container.id) ? 'paused' : 'running';
}

/** `kit-runtime state`: runc's JSON, which is also what hooks read on their stdin. */
export function stateJson(paths: KitPaths, container: OciContainer, status = statusOf(paths, container)): Record<string, unknown> {
  return {
    ociVersion: OCI_VERSION,
    id: container.id,
    status,
    pid: status === 'stopped' ? 0 : container.init.pid,
    bundle: container.bundle,
    rootfs: container.spec.rootDir,
    created: container.created,
    owner: '',
    annotations: container.annotations,
  };
}

/** `kit-runtime state ID`. */
export function containerState(paths: KitPaths, id: string): Record<string, unknown> {
  return stateJson(paths, findContainer(paths, id));
}

/** `kit-runtime list`. */
export function allStates(paths: KitPaths): Array<Record<string, unknown>> {
  return listContainers(paths).map((c) => stateJson(paths, c));
}

/** Whether kit-runtime knows the id (`delete --force` of an unknown one is no error), without reading the others. */
export function containerExists(paths: KitPaths, id: string): boolean {
  return ID_PATTERN.test(id) && readContainer(paths, id) !== undefined;
}

/** Where traces are kept: beside the containers, not in their dirs, so a trace outlives `delete` (podman run --rm). */
export function tracePath(paths: KitPaths, id: string): string {
  return join(paths.state, 'oci-traces', `${id}.jsonl`);
}

export function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}
