import { Flags } from '@oclif/core';
import { KitError, parseDetachKeys, type RunOptions } from '../../core';

/**
 * docker run/exec -i and -t. Without -i the container's stdin is /dev/null,
 * as Docker's is: `echo hi | kit run base cat` prints nothing, and a command
 * reading its stdin sees end-of-file at once (never kit's terminal).
 */
export const terminalFlags = {
  tty: Flags.boolean({
    char: 't',
    default: false,
    description: "a pseudo-terminal: allocated in the container's own devpts, its controlling terminal (setsid + TIOCSCTTY) and stdio; with -i kit's terminal is raw and keys like Ctrl-C reach the container's foreground process group (docker run -it)",
  }),
  interactive: Flags.boolean({
    char: 'i',
    default: false,
    description: "keep stdin open and pass kit's stdin (a pipe, a file, the terminal) to the container (docker run -i)",
  }),
};

/** The size of kit's terminal for the container's pty (24x80 when kit's stdout is not one, or has no size). */
export function ttySize(): { rows: number; cols: number } {
  const { rows, columns } = process.stdout;
  return process.stdout.isTTY && rows > 0 && columns > 0 ? { rows, cols: columns } : { rows: 24, cols: 80 };
}

/**
 * -t as the spec's terminal; -it wants a terminal to read from, as docker
 * says ("the input device is not a TTY"), unless detached (-dit: kit attach
 * brings the terminal later).
 */
export function ttyOption(flags: { tty: boolean; interactive: boolean; detach?: boolean }): { tty?: { rows: number; cols: number } } {
  if (!flags.tty) return {};
  if (flags.interactive && !flags.detach && !process.stdin.isTTY) {
    throw new KitError('the input device is not a TTY', 'drop -t to pipe input to the container (-i alone), or run kit in a terminal');
  }
  return { tty: ttySize() };
}

/** --detach-keys of kit run and kit attach. */
export const detachKeysFlag = {
  'detach-keys': Flags.string({
    helpValue: 'KEYS',
    description: "the keys that detach kit from a -it container, which runs on (kit attach goes back): comma-separated characters or ctrl-<a-z, @, [, \\, ], ^, _> (default ctrl-p,ctrl-q, as docker)",
  }),
};

/** docker exec -d and --detach-keys: the exec'd process handed to a shim that outlives kit (core/engine/exec-session.ts). */
export const execDetachFlags = {
  detach: Flags.boolean({
    char: 'd',
    default: false,
    description: 'start the command in the container and return at once, printing nothing; it runs on, its output dropped, held and reaped by a shim of its own (kit inspect lists it in ExecIDs while it runs; docker exec -d)',
  }),
  'detach-keys': Flags.string({
    helpValue: 'KEYS',
    description: "the keys that detach kit from an -it exec, whose command runs on: comma-separated characters or ctrl-<a-z, @, [, \\, ], ^, _> (default ctrl-p,ctrl-q, as docker)",
  }),
};

/** The detach sequence as bytes; a bad value is one line naming it. */
export function detachKeys(flags: { 'detach-keys'?: string }): Buffer {
  return parseDetachKeys(flags['detach-keys']);
}

/** -i in the spec (Docker's OpenStdin): a shim keeps the container's stdin open for attached clients. */
export function interactiveOption(flags: { interactive: boolean }): { interactive?: true } {
  return flags.interactive ? { interactive: true } : {};
}

export function stdinOption(flags: { interactive: boolean }): Pick<RunOptions, 'stdin'> {
  return { stdin: flags.interactive ? 'pass' : 'null' };
}
