import { closeSync, fstatSync, readSync } from 'node:fs';
import { pipeline, Readable } from 'node:stream';
import { KitError } from '../../errors';
import { stopIfInterrupted } from '../interrupts';
import type { Budget } from '../limits';
import { TarFormatError } from './header';
import { ParallelSha256, SLOT_BYTES } from './parallel-hash';
import { readTar, type TarEntry } from './reader';
import { sha256 } from '../../sha256';

/** Bytes read so far out of a file's size; called as a large file is read. */
export type Progress = (done: number, total: number) => void;

/** A tar file being read, and its digests once every entry was read. */
export interface OpenArchive {
  entries: AsyncGenerator<TarEntry>;
  /** sha256 of the file as stored (an OCI blob digest). */
  fileDigest(): string;
  /** sha256 of the uncompressed tar (the layer's diffID). */
  tarDigest(): string;
}

export interface ArchiveOptions {
  onProgress?: Progress;
  /** Counts the uncompressed bytes: a gzip bomb stops at the limit, not at a full disk. */
  budget?: Budget;
}

/**
 * A plain tar at least this large is hashed on a thread of its own (below
 * that, hashing here costs less than handing chunks over).
 */
export const PARALLEL_HASH_FROM = 16 << 20;

/** One sha256, on this thread or on a thread of its own. */
interface Sha256 {
  update(chunk: Buffer): void;
  digest(): string;
  end?(): void;
}

/**
 * Read a tar file from an open fd (taken over, closed at the end), gzipped
 * or not: gzip is recognised by its magic bytes (1f 8b), not by the file
 * name, and inflated as it streams. Both digests are computed on the way, so
 * a layer is read once. A large plain tar is read into the memory of a
 * native thread that hashes it while this thread writes the files (see
 * ParallelSha256). Ctrl-C or SIGTERM aborts the read at once.
 */
export function openArchive(fd: number, options: ArchiveOptions = {}): OpenArchive {
  const gzipped = hasGzipMagic(fd);
  const total = fstatSync(fd).size;
  // gzip's chunks are held by the inflate stream for a while: only a plain tar's may be read into the ring.
  const parallel = !gzipped && total >= PARALLEL_HASH_FROM ? hashingThread() : undefined;
  const fileHash: Sha256 = parallel ?? hexHash();
  const tarHash: Sha256 | undefined = gzipped ? hexHash() : undefined; // else the tar is the file: fileHash has its bytes
  const nextBuffer = parallel ? () => parallel.buffer() : () => Buffer.allocUnsafe(CHUNK);
  let done = 0;
  let closed = false;
  async function* fileChunks(): AsyncGenerator<Buffer> {
    for await (const chunk of readChunks(fd, () => closed, nextBuffer)) {
      fileHash.update(chunk);
      done += chunk.length;
      options.onProgress?.(done, total);
      yield chunk;
    }
  }
  const stream: AsyncIterable<Buffer> = gzipped ? pipeline(Readable.from(fileChunks()), zlib().createGunzip(), () => undefined) : fileChunks();
  async function* tarChunks(): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of stream) {
        stopIfInterrupted();
        options.budget?.addBytes(chunk.length);
        tarHash?.update(chunk);
        yield chunk;
      }
    } catch (err) {
      stopIfInterrupted();
      if ((err as NodeJS.ErrnoException).code?.startsWith('Z_')) throw new TarFormatError(`the gzip data is corrupt (${(err as Error).message})`);
      throw err;
    } finally {
      // No read is in flight (they are synchronous), and none comes after: the fd number may be reused.
      closed = true;
      closeSync(fd);
      fileHash.end?.(); // the hashing thread finishes and exits, whether the digest is asked for or not
    }
  }
  let fileDigest: string | undefined;
  let tarDigest: string | undefined;
  return {
    entries: readTar(tarChunks()),
    fileDigest: () => (fileDigest ??= `sha256:${fileHash.digest()}`),
    // Not gzipped, the tar is the file as stored: one hash serves both digests.
    tarDigest: () => (tarDigest ??= tarHash ? `sha256:${tarHash.digest()}` : (fileDigest ??= `sha256:${fileHash.digest()}`)),
  };
}

/** The hashing thread, or none where the native addon cannot load (the import hashes here instead). */
function hashingThread(): ParallelSha256 | undefined {
  try {
    return new ParallelSha256();
  } catch (err) {
    if (err instanceof KitError) return undefined;
    throw err;
  }
}

/*
 * Node's zlib is loaded when an archive needs it (a gzipped one), as its
 * crypto is (core/sha256.ts): the first require of each runs a dozen of
 * Node's internal modules, start-up that an import of a large plain tar,
 * hashed natively, does not have to pay.
 */
const zlib = () => require('node:zlib') as typeof import('node:zlib');

function hexHash(): Sha256 {
  const hash = sha256();
  return { update: (chunk) => hash.update(chunk), digest: () => hash.digest('hex') };
}

const CHUNK = SLOT_BYTES;
/** Reads between two turns of the event loop: 16 MiB, tens of milliseconds. */
const CHUNKS_PER_TURN = (16 << 20) / CHUNK;

/**
 * The file's bytes in 1 MiB chunks, read synchronously: an async read is a
 * round trip through libuv's thread pool, and on a busy host each one waits
 * for a CPU again, which made an import several times slower than its work.
 * The event loop gets a turn every 16 MiB, so Ctrl-C and SIGTERM still stop
 * the import within one turn (their handlers run there).
 */
async function* readChunks(fd: number, closed: () => boolean, nextBuffer: () => Buffer): AsyncGenerator<Buffer> {
  for (let position = 0, n = 1; ; n++) {
    if (n % CHUNKS_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
    if (closed()) return; // the reader stopped early (an error, a gzip stream torn down)
    stopIfInterrupted();
    const chunk = nextBuffer();
    const read = readSync(fd, chunk, 0, CHUNK, position);
    if (read === 0) return;
    position += read;
    yield read === CHUNK ? chunk : chunk.subarray(0, read);
  }
}

function hasGzipMagic(fd: number): boolean {
  const magic = Buffer.alloc(2);
  try {
    return readSync(fd, magic, 0, 2, 0) === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}
