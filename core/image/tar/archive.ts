import { createHash } from 'node:crypto';
import { closeSync, createReadStream, fstatSync, readSync } from 'node:fs';
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { interruptSignal, stopIfInterrupted } from '../interrupts';
import type { Budget } from '../limits';
import { TarFormatError } from './header';
import { readTar, type TarEntry } from './reader';

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
 * Read a tar file from an open fd (taken over, closed at the end), gzipped
 * or not: gzip is recognised by its magic bytes (1f 8b), not by the file
 * name, and inflated as it streams. Both digests are computed on the way, so
 * a layer is read once. Ctrl-C or SIGTERM aborts the read at once.
 */
export function openArchive(fd: number, options: ArchiveOptions = {}): OpenArchive {
  const gzipped = hasGzipMagic(fd);
  const total = fstatSync(fd).size;
  const fileHash = createHash('sha256');
  const tarHash = createHash('sha256');
  let done = 0;
  const raw = createReadStream('', { fd, start: 0, highWaterMark: 1 << 20, signal: interruptSignal() });
  async function* fileChunks(): AsyncGenerator<Buffer> {
    for await (const chunk of raw) {
      fileHash.update(chunk as Buffer);
      done += (chunk as Buffer).length;
      options.onProgress?.(done, total);
      yield chunk as Buffer;
    }
  }
  const stream: AsyncIterable<Buffer> = gzipped ? pipeline(Readable.from(fileChunks()), createGunzip(), () => undefined) : fileChunks();
  async function* tarChunks(): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of stream) {
        stopIfInterrupted();
        options.budget?.addBytes(chunk.length);
        if (gzipped) tarHash.update(chunk); // else the tar is the file: fileHash has these bytes
        yield chunk;
      }
    } catch (err) {
      stopIfInterrupted();
      if ((err as NodeJS.ErrnoException).code?.startsWith('Z_')) throw new TarFormatError(`the gzip data is corrupt (${(err as Error).message})`);
      throw err;
    } finally {
      raw.destroy();
    }
  }
  let fileDigest: string | undefined;
  let tarDigest: string | undefined;
  return {
    entries: readTar(tarChunks()),
    fileDigest: () => (fileDigest ??= `sha256:${fileHash.digest('hex')}`),
    // Not gzipped, the tar is the file as stored: one hash serves both digests.
    tarDigest: () => (tarDigest ??= gzipped ? `sha256:${tarHash.digest('hex')}` : (fileDigest ??= `sha256:${fileHash.digest('hex')}`)),
  };
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
