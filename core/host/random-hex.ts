import { closeSync, openSync, readSync } from 'node:fs';

/**
 * `bytes` random bytes from the kernel, as hex: the names kit makes up
 * (container ids, journal and staging file names). Read from /dev/urandom,
 * the same pool node:crypto draws from, because loading node:crypto costs
 * about 4 ms: a tenth of what `kit-runtime create` itself takes, paid by
 * every `kit run` that only wanted a name.
 */
export function randomHex(bytes: number): string {
  const buf = Buffer.alloc(bytes);
  const fd = openSync('/dev/urandom', 'r');
  try {
    let got = 0;
    while (got < bytes) got += readSync(fd, buf, got, bytes - got, null);
  } finally {
    closeSync(fd);
  }
  return buf.toString('hex');
}
