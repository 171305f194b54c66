import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { BLOCK, formatHeader, needsPax, type TarHeader } from './header';
import { formatPax } from './pax';

/**
 * Write a tar stream that GNU tar, busybox tar and `docker import` read:
 * ustar headers, with a PAX header first for whatever ustar cannot hold.
 * Bodies are streamed; the writer waits when the destination is full.
 */
export class TarWriter {
  constructor(private readonly out: Writable) {}

  /** Add an entry; a file's body must be exactly header.size bytes. */
  async add(header: TarHeader, body?: AsyncIterable<Buffer> | Buffer): Promise<void> {
    const pax = needsPax(header);
    if (Object.keys(pax).length > 0) {
      const records = formatPax(pax);
      const name = `PaxHeaders/${header.path.split('/').filter(Boolean).pop() ?? 'entry'}`.slice(0, 100);
      await this.write(formatHeader({ ...header, path: name, typeflag: 'x', size: records.length, linkpath: '', mode: 0o644 }));
      await this.write(records);
      await this.pad(records.length);
    }
    await this.write(formatHeader(header));
    if (header.type !== 'file') return;
    let written = 0;
    const parts = Buffer.isBuffer(body) ? [body] : body ?? [];
    for await (const part of parts) {
      written += part.length;
      if (written > header.size) break;
      await this.write(part);
    }
    if (written !== header.size) throw new Error(`tar entry '${header.path}': expected ${header.size} bytes, got ${written} (did the file change while kit read it?)`);
    await this.pad(header.size);
  }

  /** The end marker (two zero blocks); then the destination is ended. */
  async finish(): Promise<void> {
    await this.write(Buffer.alloc(BLOCK * 2));
    this.out.end();
    await finished(this.out);
  }

  private async pad(size: number): Promise<void> {
    const rest = (BLOCK - (size % BLOCK)) % BLOCK;
    if (rest) await this.write(Buffer.alloc(rest));
  }

  private async write(data: Buffer): Promise<void> {
    if (!this.out.write(data)) await once(this.out, 'drain');
  }
}
