import { TarFormatError } from './header';

/**
 * PAX extended headers (POSIX.1-2001): an entry of type 'x' whose body is
 * records "<length> <key>=<value>\n" overriding the next header's fields;
 * type 'g' sets them for every later entry. This is how a tar carries names
 * over 100 bytes, sizes over 8 GiB and exact uids.
 */
export type PaxRecords = Record<string, string>;

export function parsePax(body: Buffer): PaxRecords {
  const records: PaxRecords = {};
  let pos = 0;
  while (pos < body.length) {
    const space = body.indexOf(0x20, pos);
    const length = parseInt(body.toString('latin1', pos, space), 10);
    if (space === -1 || !(length > 0) || pos + length > body.length) throw new TarFormatError('the tar archive is corrupt: malformed PAX extended header');
    const record = body.toString('utf8', space + 1, pos + length - 1);
    const eq = record.indexOf('=');
    if (eq > 0) records[record.slice(0, eq)] = record.slice(eq + 1);
    pos += length;
  }
  return records;
}

export function formatPax(records: PaxRecords): Buffer {
  const lines = Object.entries(records).map(([key, value]) => {
    const rest = ` ${key}=${value}\n`;
    const restBytes = Buffer.byteLength(rest);
    // The length counts its own digits: grow it until it is stable.
    let length = restBytes + 1;
    while (String(length).length + restBytes !== length) length = String(length).length + restBytes;
    return `${length}${rest}`;
  });
  return Buffer.from(lines.join(''), 'utf8');
}

/** The header fields a PAX record set overrides (mtime may be fractional). */
export function paxOverrides(records: PaxRecords): { path?: string; linkpath?: string; size?: number; mtime?: number; uid?: number; gid?: number } {
  const num = (key: string) => (records[key] === undefined ? undefined : Number(records[key]));
  return {
    path: records.path,
    linkpath: records.linkpath,
    size: num('size'),
    mtime: num('mtime'),
    uid: num('uid'),
    gid: num('gid'),
  };
}
