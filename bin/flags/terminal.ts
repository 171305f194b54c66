import { Flags } from '@oclif/core';
import type { RunOptions } from '../../core';

/**
 * docker run/exec -i and -t. Without -i the container's stdin is /dev/null,
 * as Docker's is: `echo hi | kit run base cat` prints nothing, and a command
 * reading its stdin sees end-of-file at once (never kit's terminal).
 */
export const terminalFlags = {
  interactive: Flags.boolean({
    char: 'i',
    default: false,
    description: "keep stdin open and pass kit's stdin (a pipe, a file, the terminal) to the container (docker run -i)",
  }),
};

export function stdinOption(flags: { interactive: boolean }): Pick<RunOptions, 'stdin'> {
  return { stdin: flags.interactive ? 'pass' : 'null' };
}
