import { appendFileSync, closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { TraceRecorder } from '../trace/recorder';
import { GONE_AT_REBOOT, undo, type Undo } from './undo';

/**
 * Every change kit makes to the host goes through here. make() first appends
 * how to undo the change to a journal file (fsync'd, unless a reboot undoes
 * the change anyway: GONE_AT_REBOOT), then makes it, so if kit is killed at
 * any point the journal still says what to undo.
 * Cleanup, after a normal exit, Ctrl-C or a crash, is undoAll(): the journal
 * replayed newest first.
 */
export class HostChanges {
  constructor(readonly file: string, readonly trace: TraceRecorder) {}

  make<T>(record: Undo, change: () => T): T {
    return this.makeAll([record], change);
  }

  /**
   * Several changes made in a row, their undo records written together with
   * one fsync before the first change, instead of one fsync each. The rule
   * holds for every one of them: its undo is on disk before it is made.
   * The crash window this opens is the one between the fsync and the last
   * change: the journal then holds undos of changes never made. Replaying
   * them is harmless, as replaying any record twice is: every undo treats
   * "already gone" as done, and a batch holds only records naming what this
   * journal's owner alone makes (its own cgroup dirs, by its id), so undoing
   * one that was never made cannot touch anything of another's.
   */
  makeAll<T>(records: Undo[], change: () => T): T {
    const fd = openSync(this.file, 'a');
    try {
      appendFileSync(fd, records.map((r) => JSON.stringify(r) + '\n').join(''));
      if (!records.every((r) => GONE_AT_REBOOT.has(r.op))) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return change();
  }

  /** The changes are to stay (a device made and recorded elsewhere): drop the journal without undoing it. */
  forget(): void {
    rmSync(this.file, { force: true });
  }

  /** The journaled undo records, oldest first. */
  records(): Undo[] {
    if (!existsSync(this.file)) return [];
    return readFileSync(this.file, 'utf8')
      .split('\n')
      .filter((line) => line.trim())
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as Undo];
        } catch {
          return []; // a line cut short by a crash mid-write: its change never happened
        }
      });
  }

  /**
   * Undo everything, newest first. Each undo tolerates a change that is
   * already gone (replays may repeat); failures are collected, not thrown,
   * so one stuck item does not leave the others behind. What could not be
   * undone stays in the journal for a later replay, and a tree holding it
   * (a state dir around a busy mount) is not removed through it.
   */
  undoAll(): string[] {
    const problems: string[] = [];
    const kept: Undo[] = [];
    for (const record of this.records().reverse()) {
      const problem = this.holdsLeftovers(record, kept) ? `kept ${pathOf(record)}: it holds what could not be undone` : undo(record, this.trace);
      if (!problem) continue;
      problems.push(problem);
      kept.unshift(record);
    }
    if (kept.length === 0) rmSync(this.file, { force: true });
    else rewrite(this.file, kept);
    return problems;
  }

  /** Removing this tree would delete a leftover, or the journal that remembers them. */
  private holdsLeftovers(record: Undo, kept: Undo[]): boolean {
    if (record.op !== 'remove' || kept.length === 0) return false;
    return isInside(this.file, record.path) || kept.some((k) => isInside(pathOf(k), record.path));
  }
}

function pathOf(record: Undo): string | undefined {
  return 'path' in record ? record.path : undefined;
}

function isInside(path: string | undefined, dir: string): boolean {
  return path !== undefined && (path === dir || path.startsWith(dir.endsWith('/') ? dir : dir + '/'));
}

function rewrite(file: string, records: Undo[]): void {
  writeFileSync(file + '.tmp', records.map((r) => JSON.stringify(r) + '\n').join(''));
  renameSync(file + '.tmp', file);
}
