import { commandOutput, firstLines } from './command';
import type { Probe } from './probe';

/** The host's process table, as `ps -ef` shows it. */
export const processes: Probe = {
  id: 'processes',
  title: "the host's processes (ps -ef)",
  run: () => {
    const text = commandOutput(['ps', '-ef', '--cols', '120']);
    const count = text.split('\n').length - 1;
    return { title: `the host's processes (ps -ef): ${count} processes`, text: firstLines(text, 12) };
  },
};
