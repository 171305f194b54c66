import { fstatSync, openSync } from 'node:fs';
import { Socket } from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import type { TraceRecorder } from '../trace/recorder';
import { KitError } from '../errors';

/** How the container's stdio is wired. */
export type Stdio =
  /** kit reads stdout and stderr (chapters show them after the trace). */
  | 'capture'
  /** The container uses kit's own stdout and stderr (kit exec: nothing is logged). */
  | 'inherit'
  /** kit copies the output, byte for byte as it comes, to its own stdout and stderr, and to the container's log (a foreground kit run: foreground-output.ts). */
  | 'copy'
  /** Each chunk of output to this function as it comes (a detached container's shim writes its log and its attached clients). */
  | Relay;

/** A container's stdio relayed by its shim: the output to its log and attached clients, their input in. */
export interface Relay {
  output: (stream: 'stdout' | 'stderr', text: string) => void;
  /** With stdin 'relay': called once the container's input can be written (its stdin pipe, or its pty's master with -t). */
  input?: (input: ContainerInput) => void;
}

/** Where input for a container goes: its stdin pipe, or its terminal (which also has a size). */
export interface ContainerInput {
  write(chunk: Buffer): void;
  /** The pty's window size (-t only): the container's foreground process group gets SIGWINCH. */
  resize?(rows: number, cols: number): void;
}

/**
 * The container's stdin: /dev/null (Docker's default), or, with -i, kit's
 * own stdin reopened through /proc/self/fd/0 (a file description of its own:
 * the flags Node set on kit's, O_NONBLOCK on a terminal, do not follow it
 * into the container, where a blocking read would fail with EAGAIN), or,
 * for a container its shim owns (`kit run -di`, attach), a pipe whose write
 * end the shim keeps open and writes what attached clients type into
 * (Docker's OpenStdin), so the container's stdin outlives any one client.
 */
export type Stdin = 'null' | 'pass' | 'relay';

/**
 * The fds between kit and a container. The child gets, as fds 0-3: stdin,
 * stdout, stderr and one end of the control socket, which carries the plan
 * in and kit-init's trace out. Everything is created O_CLOEXEC, so nothing
 * else of kit's leaks into the container.
 */
export interface Channels {
  childFds: number[];
  control: number;
  stdout?: number;
  stderr?: number;
  /** With a terminal (-t): kit's end of the console socket, on which the container sends its pty's master. */
  console?: number;
  /** With stdin 'relay' and no terminal: the write end of the container's stdin pipe. */
  stdin?: number;
}

const CHILD_SIDE = 'the container end: handed to clone, then closed here';

export function openChannels(trace: TraceRecorder, stdio: Stdio, stdin: Stdin = 'null', tty = false): Channels {
  const opened: number[] = [];
  const closeOpened = () => {
    for (const fd of opened) trace.host('could not open every channel: close those already open', (n) => n.close(fd));
  };
  const pair = (result: [number, number] | number): [number, number] => {
    if (typeof result === 'number') {
      closeOpened();
      throw new KitError(`could not create a channel to the container (errno ${-result})`);
    }
    opened.push(...result);
    return result;
  };
  const file = (path: string, flags: string): number => {
    try {
      opened.push(openSync(path, flags)); // Node opens it O_CLOEXEC
    } catch (err) {
      closeOpened();
      throw err;
    }
    return opened[opened.length - 1];
  };
  const control = pair(trace.host('a socket pair: the plan goes in, the container-side trace comes out', (n) => n.socketpair()));
  if (tty) {
    // The container's stdio becomes its pty's slave (core/plan/console.ts): until then, /dev/null.
    const console = pair(trace.host('a socket pair for the console: the container sends its pty master on it', (n) => n.socketpair()));
    const devNull = file('/dev/null', 'r+');
    return { childFds: [devNull, devNull, devNull, control[1], console[1]], control: control[0], console: console[0] };
  }
  const relayed = stdin === 'relay' ? pair(trace.host("a pipe for the container's stdin: kit's shim keeps its write end", (n) => n.pipe())) : undefined;
  const input = relayed ? relayed[0] : stdin === 'pass' ? passedStdin(file) : file('/dev/null', 'r');
  if (stdio === 'inherit') return { childFds: [input, 1, 2, control[1]], control: control[0], stdin: relayed?.[1] };
  const out = pair(trace.host("a pipe for the container's stdout", (n) => n.pipe()));
  const err = pair(trace.host("a pipe for the container's stderr", (n) => n.pipe()));
  return { childFds: [input, out[1], err[1], control[1]], control: control[0], stdout: out[0], stderr: err[0], stdin: relayed?.[1] };
}

/**
 * kit's stdin for the container, reopened (see Stdin). A socket cannot be
 * reopened through /proc (ENXIO): a socket kit was given (a parent's
 * socketpair as stdin) is passed as it is.
 */
function passedStdin(file: (path: string, flags: string) => number): number {
  const fd0 = fstatSync(0);
  return fd0.isSocket() ? 0 : file('/proc/self/fd/0', 'r');
}

/** Close the child's ends in kit, so reads see EOF when the container ends. */
export function closeChildEnds(trace: TraceRecorder, channels: Channels): void {
  for (const fd of new Set(channels.childFds)) if (fd > 2) trace.host(CHILD_SIDE, (n) => n.close(fd));
}

/** Close kit's own ends, when no container was started to use the others. */
export function closeKitEnds(trace: TraceRecorder, channels: Channels): void {
  for (const fd of [channels.control, channels.stdout, channels.stderr, channels.console, channels.stdin]) {
    if (fd !== undefined) trace.host('no container after all: close the channel', (n) => n.close(fd));
  }
}

/**
 * Read a pipe or socket fd to EOF, optionally seeing each chunk as it comes
 * (decoded whole: a character cut between two reads waits for its rest).
 * keep=false hands the chunks on only (a long-running container's output
 * is not held in memory). The socket takes ownership of the fd.
 */
export function readAll(fd: number, onChunk?: (chunk: string) => void, keep = true): { socket: Socket; text: Promise<string> } {
  const socket = new Socket({ fd, readable: true, writable: true });
  const decoder = new StringDecoder('utf8');
  const chunks: string[] = [];
  const take = (chunk: string) => {
    if (!chunk) return;
    if (keep) chunks.push(chunk);
    onChunk?.(chunk);
  };
  const text = new Promise<string>((resolve) => {
    const done = () => {
      take(decoder.end());
      resolve(chunks.join(''));
    };
    socket.on('data', (chunk: Buffer) => take(decoder.write(chunk)));
    socket.on('error', done);
    socket.on('close', done);
  });
  return { socket, text };
}

/**
 * The write end of a relayed stdin pipe as a ContainerInput: a socket, so a
 * container that does not read blocks nothing (the writes queue), and one
 * that has exited (EPIPE) is simply not written to any more.
 */
export function pipeInput(fd: number): { input: ContainerInput; close: () => void } {
  const socket = new Socket({ fd, readable: false, writable: true });
  socket.on('error', () => socket.destroy());
  return { input: { write: (chunk) => void (socket.writable && socket.write(chunk)) }, close: () => socket.destroy() };
}
