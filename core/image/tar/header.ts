/**
 * One tar header block (512 bytes), as POSIX ustar lays it out. Fields that
 * do not fit (names over 100 bytes, sizes over 8 GiB) travel in a PAX
 * extended header before it (pax.ts) or, in GNU tars, in an 'L'/'K' entry.
 */
import { KitError } from '../../errors';

export const BLOCK = 512;

/** A tar that is not one, or is cut short or damaged. */
export class TarFormatError extends KitError {}

export type EntryType = 'file' | 'hardlink' | 'symlink' | 'char' | 'block' | 'dir' | 'fifo';

/** What an entry is, after any PAX or GNU long-name records were applied. */
export interface TarHeader {
  path: string;
  type: EntryType;
  /** Permission bits, including setuid/setgid/sticky. */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  /** Seconds since the epoch. */
  mtime: number;
  /** Target of a symlink or hard link. */
  linkpath: string;
  devmajor: number;
  devminor: number;
}

/** A raw header: the typeflag letter is kept so PAX ('x', 'g') and GNU ('L', 'K') records can be recognised. */
export interface RawHeader extends Omit<TarHeader, 'type'> {
  typeflag: string;
}

const TYPES: Record<string, EntryType> = { '0': 'file', '\0': 'file', '7': 'file', '1': 'hardlink', '2': 'symlink', '3': 'char', '4': 'block', '5': 'dir', '6': 'fifo' };
const FLAGS: Record<EntryType, string> = { file: '0', hardlink: '1', symlink: '2', char: '3', block: '4', dir: '5', fifo: '6' };

export function entryType(typeflag: string): EntryType | undefined {
  return TYPES[typeflag];
}

export function isZeroBlock(block: Buffer): boolean {
  for (let i = 0; i < BLOCK; i++) if (block[i] !== 0) return false;
  return true;
}

/** Parse a header block, or undefined when its checksum is wrong (not a tar, or corrupt). */
export function parseHeader(block: Buffer): RawHeader | undefined {
  if (!checksumMatches(block)) return undefined;
  const magic = block.toString('latin1', 257, 263);
  const prefix = magic === 'ustar\0' ? text(block, 345, 155) : '';
  const name = text(block, 0, 100);
  return {
    path: prefix ? `${prefix}/${name}` : name,
    typeflag: String.fromCharCode(block[156]),
    mode: number(block, 100, 8) & 0o7777,
    uid: number(block, 108, 8),
    gid: number(block, 116, 8),
    size: number(block, 124, 12),
    mtime: number(block, 136, 12),
    linkpath: text(block, 157, 100),
    devmajor: number(block, 329, 8),
    devminor: number(block, 337, 8),
  };
}

/**
 * Format a ustar header. Fields that do not fit are truncated here; the
 * writer puts their full values in a PAX header first (see needsPax).
 */
export function formatHeader(h: TarHeader | RawHeader): Buffer {
  const block = Buffer.alloc(BLOCK);
  const { name, prefix } = splitPath(h.path);
  block.write(name, 0, 100, 'utf8');
  writeOctal(block, 100, 8, h.mode);
  writeOctal(block, 108, 8, h.uid);
  writeOctal(block, 116, 8, h.gid);
  writeOctal(block, 124, 12, h.size);
  writeOctal(block, 136, 12, Math.floor(h.mtime));
  block.write('        ', 148, 8, 'latin1');
  block.write('typeflag' in h ? h.typeflag : FLAGS[h.type], 156, 1, 'latin1');
  block.write(h.linkpath, 157, 100, 'utf8');
  block.write('ustar\x0000', 257, 8, 'latin1');
  writeOctal(block, 329, 8, h.devmajor);
  writeOctal(block, 337, 8, h.devminor);
  block.write(prefix, 345, 155, 'utf8');
  writeOctal(block, 148, 7, checksum(block));
  return block;
}

/** The PAX records a header needs because ustar cannot hold them. */
export function needsPax(h: TarHeader): Record<string, string> {
  const records: Record<string, string> = {};
  if (!fitsUstar(h.path)) records.path = h.path;
  if (Buffer.byteLength(h.linkpath) > 100) records.linkpath = h.linkpath;
  if (h.size > 0o77777777777) records.size = String(h.size);
  if (h.uid > 0o7777777) records.uid = String(h.uid);
  if (h.gid > 0o7777777) records.gid = String(h.gid);
  return records;
}

function fitsUstar(path: string): boolean {
  const { name, prefix } = splitPath(path);
  return Buffer.byteLength(name) <= 100 && Buffer.byteLength(prefix) <= 155 && (prefix ? `${prefix}/${name}` : name) === path;
}

/** ustar splits a long path at a '/' into prefix (155) and name (100). */
function splitPath(path: string): { name: string; prefix: string } {
  if (Buffer.byteLength(path) <= 100) return { name: path, prefix: '' };
  for (let i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name) return { name, prefix };
  }
  return { name: path, prefix: '' };
}

function text(block: Buffer, offset: number, length: number): string {
  const field = block.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return field.toString('utf8', 0, end === -1 ? length : end);
}

/** Octal ASCII, or GNU base-256 when the first byte has its high bit set. */
function number(block: Buffer, offset: number, length: number): number {
  if (block[offset] & 0x80) {
    let value = block[offset] & 0x7f;
    for (let i = 1; i < length; i++) value = value * 256 + block[offset + i];
    return value;
  }
  const field = text(block, offset, length).trim();
  return field ? parseInt(field, 8) || 0 : 0;
}

function writeOctal(block: Buffer, offset: number, length: number, value: number): void {
  const digits = Math.min(value, 8 ** (length - 1) - 1).toString(8);
  block.write(digits.padStart(length - 1, '0') + '\0', offset, length, 'latin1');
}

function checksum(block: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : block[i];
  return sum;
}

function checksumMatches(block: Buffer): boolean {
  const stored = number(block, 148, 8);
  // Some old tars summed signed bytes; accept both.
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) signed += i >= 148 && i < 156 ? 32 : (block[i] << 24) >> 24;
  return stored === checksum(block) || stored === signed;
}
