import type { BaseImageProgress, ProgressFactory } from '../../core';
import { kitMessage } from './kit-message';

/** Files smaller than this are read too fast for a bar to help. */
const LARGE = 8 << 20;
const WIDTH = 30;

/**
 * A progress bar on stderr while kit reads a large file: redrawn in place
 * on a terminal, one line per quarter otherwise (logs, CI, tests).
 */
export function progressBar(out: NodeJS.WriteStream = process.stderr): ProgressFactory {
  return (label) => {
    let shown = -1;
    return (done, total) => {
      if (total < LARGE) return;
      const percent = Math.floor((done * 100) / total);
      const step = out.isTTY ? percent : Math.floor(percent / 25) * 25;
      if (step === shown) return;
      shown = step;
      const filled = Math.round((percent / 100) * WIDTH);
      const line = `${label} [${'#'.repeat(filled)}${' '.repeat(WIDTH - filled)}] ${String(percent).padStart(3)}% ${mb(done)}/${mb(total)} MB`;
      out.write(out.isTTY ? `\r${line}${done >= total ? '\n' : ''}` : `${line}\n`);
    };
  };
}

const mb = (bytes: number) => (bytes / (1 << 20)).toFixed(1);

/** The base image's first build, one line per step, on stderr (so --json on stdout stays clean), fitted as kit's messages are. */
export function baseImageProgress(out: NodeJS.WriteStream = process.stderr): BaseImageProgress {
  return (line) => out.write(`${kitMessage(line, out)}\n`);
}
