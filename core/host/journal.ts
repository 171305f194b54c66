import { appendFileSync, closeSync, existsSync, fsyncSync, openSync, readFileSync, rmSync } from 'node:fs';
import type { TraceRecorder } from '../trace/recorder';
import { undo, type Undo } from './undo';

/**
 * Every change kit makes to the host goes through here. make() first appends
 * how to undo the change to a journal file (fsync'd), then makes it, so if
 * kit is killed at any point the journal still says what to undo.
 * Cleanup, after a normal exit, Ctrl-C or a crash, is undoAll(): the journal
 * replayed newest first.
 */
export class HostChanges {
  constructor(readonly file: string, readonly trace: TraceRecorder) {}

  make<T>(record: Undo, change: () => T): T {
    const fd = openSync(this.file, 'a');
    try {
      appendFileSync(fd, JSON.stringify(record) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return change();
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
   * so one stuck item does not leave the others behind.
   */
  undoAll(): string[] {
    const problems: string[] = [];
    for (const record of this.records().reverse()) {
      const problem = undo(record, this.trace);
      if (problem) problems.push(problem);
    }
    rmSync(this.file, { force: true });
    return problems;
  }
}
