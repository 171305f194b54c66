import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { KitError } from '../errors';
import type { KitPaths } from '../paths';
import { randomHex } from '../host/random-hex';

/**
 * `docker save alpine | kit image import -`: the archive comes on stdin. Its
 * format is recognised by content, which needs to read it more than once, so
 * it is first written to a file in kit's data dir (never more than maxBytes:
 * a stream without end cannot fill the disk), imported from there, and the
 * file removed whatever happens. `command` is how the user asked for it, for
 * the fix a mistake names.
 */
export async function withStdinArchive<T>(paths: KitPaths, maxBytes: number, use: (file: string) => Promise<T>, command = 'kit image import -'): Promise<T> {
  if (process.stdin.isTTY) throw new KitError(`${command} reads the archive from stdin, which is a terminal`, `pipe one in: docker save NAME | ${command}`);
  const dir = join(paths.data, 'tmp');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `stdin-${randomHex(6)}.tar`);
  try {
    let total = 0;
    const cap = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        total += chunk.length;
        if (total > maxBytes) done(new KitError(`the archive on stdin is larger than ${maxBytes} bytes`, 'raise --max-size, or import a smaller image'));
        else done(null, chunk);
      },
    });
    await pipeline(process.stdin, cap, createWriteStream(file));
    if (total === 0) throw new KitError('stdin was empty: no archive to import', `pipe one in: docker save NAME | ${command}`);
    return await use(file);
  } finally {
    rmSync(file, { force: true });
  }
}
