import { mountTable } from '../host/mountinfo';
import { removeTree } from '../host/remove-tree';
import type { KitPaths } from '../paths';
import { releaseDriverStorage } from '../storage/containers';
import { shellCode, type ExitStatus } from './exit-status';
import { SyscallError } from '../errors';
import type { TraceEvent } from '../trace/event';
import { readRecord, recordDir, updateRecord, writeRecord } from './record';
import type { ContainerState } from './state';

/** How a run ended, as keepRecord needs it (a RunResult is one). */
export interface Ended extends ExitStatus {
  /** The command never ran: the container-side call (a setup step, or its execve) that failed. */
  failed?: TraceEvent;
  oomKilled: boolean;
}

/**
 * The record of a kept container (not --rm) through one run: made before
 * anything else (a new container) or reused (`kit start`, a restart), given
 * its start time once cloned and its exit status at the end.
 *
 * A command that cannot be run (its execve failed: not found, not
 * executable) leaves the container as Docker leaves it: a new one is kept,
 * "Created" with ExitCode 127 or 126 and the reason in State.Error (`kit
 * start` tries it again), and a kept one keeps its last run's status but
 * gets the new exit code and reason. Any other failure before the command
 * (a bad flag value) removes a new container whole: a bad value leaves
 * nothing behind.
 */
export function keepRecord(paths: KitPaths, state: ContainerState): { started(): void; exited(result: Ended): void; failed(): void } {
  const existing = readRecord(paths, state.id);
  if (existing) updateRecord(paths, state.id, (r) => ({ ...r, exit: undefined, startedAt: undefined }));
  else writeRecord(paths, { id: state.id, name: state.name, spec: state.spec, createdAt: state.createdAt, restartCount: 0 });
  const failed = () => {
    if (!existing) removeKept(paths, state.id);
  };
  return {
    started: () => updateRecord(paths, state.id, (r) => ({ ...r, startedAt: new Date().toISOString() })),
    exited: (result) => {
      if (result.failed) return notStarted(result, result.failed);
      updateRecord(paths, state.id, (r) => ({
        ...r,
        exit: { exitCode: shellCode(result), signal: result.signal, oomKilled: result.oomKilled, finishedAt: new Date().toISOString() },
        startFailure: undefined, // Docker clears State.Error once a start succeeds
      }));
    },
    failed,
  };

  function notStarted(result: Ended, call: TraceEvent): void {
    if (call.syscall !== 'execve' && !existing) return failed();
    const exitCode = shellCode(result);
    const startFailure = { exitCode, error: new SyscallError(call).message };
    updateRecord(paths, state.id, (r) => ({ ...r, startedAt: existing?.startedAt, exit: existing?.exit && { ...existing.exit, exitCode }, startFailure }));
  }
}

/**
 * Delete a kept container's directory (record, logs, layer). Refused while
 * anything is mounted inside it (its root, when an undo failed): removing
 * through a mount would delete what is mounted there.
 */
export function removeKept(paths: KitPaths, id: string): string | undefined {
  const dir = recordDir(paths, id);
  const busy = mountTable().find((m) => m.mountPoint === dir || m.mountPoint.startsWith(dir + '/'));
  if (busy) return `${busy.mountPoint} is still mounted`;
  try {
    releaseDriverStorage(paths, id);
  } catch (err) {
    return (err as Error).message;
  }
  return removeTree(dir);
}
