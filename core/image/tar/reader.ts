import { ByteReader } from './bytes';
import { BLOCK, entryType, TarFormatError, isZeroBlock, parseHeader, type RawHeader, type TarHeader } from './header';
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
  let global: PaxRecords = {};
  let pending: PaxRecords = {};
  let gnuPath: string | undefined;
  let gnuLink: string | undefined;
  let last = '(start of archive)';
  const truncated = () => new TarFormatError(`the tar archive is truncated (it ends inside or after entry '${last}')`);
  for (let index = 0; ; index++) {
    const block = await bytes.read(BLOCK);
    if (block.length === 0 && index > 0) break;
    if (block.length < BLOCK) throw index === 0 ? notTar() : truncated();
    if (isZeroBlock(block)) break;
    const raw = parseHeader(block);
    if (!raw) throw index === 0 ? notTar() : new TarFormatError(`the tar archive is corrupt: bad header checksum after entry '${last}'`);
    if (raw.typeflag === 'x' || raw.typeflag === 'g' || raw.typeflag === 'L' || raw.typeflag === 'K') {
      const size = raw.size;
      if (size > 1 << 20) throw new TarFormatError(`the tar archive is corrupt: a ${size}-byte extended header after entry '${last}'`);
      const body = await bytes.read(size + padding(size));
      if (body.length < size) throw truncated();
      const data = body.subarray(0, size);
      if (raw.typeflag === 'x') pending = { ...pending, ...parsePax(data) };
      else if (raw.typeflag === 'g') global = { ...global, ...parsePax(data) };
      else if (raw.typeflag === 'L') gnuPath = cString(data);
      else gnuLink = cString(data);
      continue;
    }
    const header = resolve(raw, { ...global, ...pending }, gnuPath, gnuLink);
    pending = {};
    gnuPath = gnuLink = undefined;
    last = header.path;
    // Like Go's archive/tar: only regular files carry data, whatever the size field says.
    const size = header.type === 'file' ? header.size : 0;
    let left = size;
    const body = (async function* () {
      for await (const part of bytes.stream(size, truncated)) {
        left -= part.length;
        yield part;
      }
    })();
    yield { ...header, body: () => body };
    // Whatever the caller did not read is skipped.
    await bytes.skip(left + padding(size), truncated);
  }
  await bytes.drain();
}

function resolve(raw: RawHeader, pax: PaxRecords, gnuPath?: string, gnuLink?: string): TarHeader {
  const type = entryType(raw.typeflag);
  if (!type) throw new TarFormatError(`entry '${raw.path}' has tar type '${raw.typeflag}', which kit does not support (regular files, directories, symlinks, hard links, devices and fifos are)`);
  const o = paxOverrides(pax);
  return {
    path: o.path ?? gnuPath ?? raw.path,
    type,
    mode: raw.mode,
    uid: o.uid ?? raw.uid,
    gid: o.gid ?? raw.gid,
    size: o.size ?? raw.size,
    mtime: o.mtime ?? raw.mtime,
    linkpath: o.linkpath ?? gnuLink ?? raw.linkpath,
    devmajor: raw.devmajor,
    devminor: raw.devminor,
  };
}

function cString(data: Buffer): string {
  const end = data.indexOf(0);
  return data.toString('utf8', 0, end === -1 ? data.length : end);
}

function notTar(): TarFormatError {
  return new TarFormatError('not a tar archive (no valid tar header at the start)');
}
