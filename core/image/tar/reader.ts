import { ByteReader } from './bytes';
import { BLOCK, entryType, isZeroBlock, parseHeader, TarFormatError, type RawHeader, type TarHeader } from './header';
import { parsePax, paxOverrides, type PaxRecords } from './pax';

export interface TarEntry extends TarHeader {
  /** The entry's bytes as they arrive; skipped if not read before the next entry. */
  body(): AsyncGenerator<Buffer>;
}

const padding = (size: number) => (BLOCK - (size % BLOCK)) % BLOCK;

/**
 * Read a tar stream entry by entry: ustar, PAX ('x' and 'g') and GNU long
 * names and link names ('L', 'K') are folded into the entry they describe,
 * so callers see one entry with its full path. The whole stream is read,
 * including padding after the end marker, so a digest over it is complete.
 */
export async function* readTar(source: AsyncIterable<Buffer>): AsyncGenerator<TarEntry> {
  const bytes = new ByteReader(source);
  const headers = new Headers(bytes);
  try {
    for (let header = await headers.next(); header; header = await headers.next()) {
      // Like Go's archive/tar: only regular files carry data, whatever the size field says.
      const size = header.type === 'file' ? header.size : 0;
      let left = size;
      const body = (async function* () {
        for await (const part of bytes.stream(size, headers.truncated)) {
          left -= part.length;
          yield part;
        }
      })();
      yield { ...header, body: () => body };
      // Whatever the caller did not read is skipped.
      await bytes.skip(left + padding(size), headers.truncated);
    }
    await bytes.drain();
  } finally {
    await bytes.close();
  }
}

/** Reads header blocks, applying the PAX and GNU records that precede an entry. */
class Headers {
  private global: PaxRecords = {};
  private pending: PaxRecords = {};
  private gnuPath?: string;
  private gnuLink?: string;
  private last?: string;

  constructor(private readonly bytes: ByteReader) {}

  readonly truncated = () => new TarFormatError(`the tar archive is truncated (it ends inside or after entry '${this.last}')`);

  /** The next entry's header, or undefined at the end of the archive. */
  async next(): Promise<TarHeader | undefined> {
    for (;;) {
      const block = await this.bytes.read(BLOCK);
      if (block.length === 0 && this.last !== undefined) return undefined;
      if (block.length < BLOCK) throw this.last === undefined ? notTar() : this.truncated();
      if (isZeroBlock(block)) return undefined;
      const raw = parseHeader(block);
      if (!raw) throw this.last === undefined ? notTar() : new TarFormatError(`the tar archive is corrupt: bad header checksum after entry '${this.last}'`);
      this.last ??= '(start of archive)';
      if (!(await this.readExtension(raw))) return this.entry(raw);
    }
  }

  /** A PAX or GNU record for the next entry: stored, and true; false for an ordinary entry. */
  private async readExtension(raw: RawHeader): Promise<boolean> {
    if (!'xgLK'.includes(raw.typeflag)) return false;
    if (raw.size > 1 << 20) throw new TarFormatError(`the tar archive is corrupt: a ${raw.size}-byte extended header after entry '${this.last}'`);
    const body = await this.bytes.read(raw.size + padding(raw.size));
    if (body.length < raw.size) throw this.truncated();
    const data = body.subarray(0, raw.size);
    if (raw.typeflag === 'x') this.pending = { ...this.pending, ...parsePax(data) };
    else if (raw.typeflag === 'g') this.global = { ...this.global, ...parsePax(data) };
    else if (raw.typeflag === 'L') this.gnuPath = cString(data);
    else this.gnuLink = cString(data);
    return true;
  }

  private entry(raw: RawHeader): TarHeader {
    const type = entryType(raw.typeflag);
    if (!type) throw new TarFormatError(`entry '${raw.path}' has tar type '${raw.typeflag}', which kit does not support (regular files, directories, symlinks, hard links, devices and fifos are)`);
    const o = paxOverrides({ ...this.global, ...this.pending });
    const header: TarHeader = {
      path: o.path ?? this.gnuPath ?? raw.path,
      type,
      mode: raw.mode,
      uid: o.uid ?? raw.uid,
      gid: o.gid ?? raw.gid,
      size: o.size ?? raw.size,
      mtime: o.mtime ?? raw.mtime,
      linkpath: o.linkpath ?? this.gnuLink ?? raw.linkpath,
      devmajor: raw.devmajor,
      devminor: raw.devminor,
    };
    this.pending = {};
    this.gnuPath = this.gnuLink = undefined;
    this.last = header.path;
    return header;
  }
}

function cString(data: Buffer): string {
  const end = data.indexOf(0);
  return data.toString('utf8', 0, end === -1 ? data.length : end);
}

function notTar(): TarFormatError {
  return new TarFormatError('not a tar archive (no valid tar header at the start)');
}
