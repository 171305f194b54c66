import { openSync } from 'node:fs';
import { Socket } from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import type { TraceRecorder } from '../trace/recorder';
import { KitError } from '../errors';

/** How the container's stdio is wired. */
export type Stdio =
  /** kit reads stdout and stderr (chapters show them after the trace). */
  | 'capture'
  /** The container uses kit's own terminal. */
  | 'inherit'
  /** Appended to these files (a detached container's logs); stdin is /dev/null. */
  | { stdout: string; stderr: string };

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
}

const CHILD_SIDE = 'the container end: handed to clone, then closed here';

export function openChannels(trace: TraceRecorder, stdio: Stdio): Channels {
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
  if (stdio === 'inherit') return { childFds: [0, 1, 2, control[1]], control: control[0] };
  if (typeof stdio === 'object') {
    const files = [file('/dev/null', 'r'), file(stdio.stdout, 'a'), file(stdio.stderr, 'a')];
    return { childFds: [...files, control[1]], control: control[0] };
  }
  const out = pair(trace.host("a pipe for the container's stdout", (n) => n.pipe()));
  const err = pair(trace.host("a pipe for the container's stderr", (n) => n.pipe()));
  const devNull = file('/dev/null', 'r');
  return { childFds: [devNull, out[1], err[1], control[1]], control: control[0], stdout: out[0], stderr: err[0] };
}

/** Close the child's ends in kit, so reads see EOF when the container ends. */
export function closeChildEnds(trace: TraceRecorder, channels: Channels): void {
  for (const fd of channels.childFds) if (fd > 2) trace.host(CHILD_SIDE, (n) => n.close(fd));
}

/** Close kit's own ends, when no container was started to use the others. */
export function closeKitEnds(trace: TraceRecorder, channels: Channels): void {
  for (const fd of [channels.control, channels.stdout, channels.stderr]) {
    if (fd !== undefined) trace.host('no container after all: close the channel', (n) => n.close(fd));
  }
}

/**
 * Read a pipe or socket fd to EOF, optionally seeing each chunk as it comes.
 * The socket takes ownership of the fd.
 */
export function readAll(fd: number, onChunk?: (chunk: string) => void): { socket: Socket; text: Promise<string> } {
  const socket = new Socket({ fd, readable: true, writable: true });
  const chunks: Buffer[] = [];
  const decoder = new StringDecoder('utf8'); // a character split across two reads is passed on whole
  const text = new Promise<string>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const decoded = onChunk && decoder.write(chunk);
      if (decoded) onChunk?.(decoded);
    });
    socket.on('error', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
  return { socket, text };
}
