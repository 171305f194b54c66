import { createReadStream, createWriteStream, lstatSync, readdirSync, readlinkSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { stopIfInterrupted } from './interrupts';
import type { TarHeader } from './tar/header';
import { TarWriter } from './tar/writer';
import { isOpaque, isWhiteout, OPAQUE_MARKER, WHITEOUT_PREFIX } from '../storage/whiteout';
import { sha256 } from '../sha256';

/** One file of a directory tree: its tar path, where it is on disk, its lstat. */
interface FsItem {
  rel: string;
  abs: string;
  stat: Stats;
}

/**
 * Write one layer directory as an OCI layer tar: overlay whiteouts become
 * `.wh.` markers again. Entries are sorted and carry only what is on disk,
 * so packing an unchanged directory twice gives the same bytes and digest.
 */
async function packLayer(dir: string, tar: TarWriter): Promise<void> {
  const links = new Map<string, string>();
  for (const item of walk(dir, '')) {
    if (isWhiteout(item.stat)) {
      await tar.add(ociWhiteoutEntry(item.rel, item.stat));
      continue;
    }
    await addItem(tar, item, links);
    if (item.stat.isDirectory() && isOpaque(item.abs)) await tar.add(ociOpaqueEntry(item.rel, item.abs));
  }
}

/**
 * Pack a layer directory into a tar file; returns the tar's sha256, its
 * diffID (what `kit image export --format docker-save` and `kit commit` need).
 */
export async function packLayerFile(dir: string, file: string): Promise<string> {
  const hash = sha256();
  const out = createWriteStream(file);
  const hashing = new Writable({
    write(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      if (out.write(chunk)) done();
      else out.once('drain', () => done());
    },
    final(done) {
      out.end(done);
    },
  });
  const tar = new TarWriter(hashing);
  await packLayer(dir, tar);
  await tar.finish();
  return `sha256:${hash.digest('hex')}`;
}

/**
 * Write the union of layers (bottom first) as one root filesystem tar, the
 * way the container sees it: an upper file hides a lower one, a whiteout
 * hides the name, an opaque directory hides everything below it.
 */
export async function packMerged(layers: string[], tar: TarWriter): Promise<void> {
  const links = new Map<string, string>();
  for (const item of merged([...layers].reverse(), '')) await addItem(tar, item, links);
}

function* walk(dir: string, rel: string): Generator<FsItem> {
  for (const name of readdirSync(dir).sort()) {
    const item = { rel: rel ? `${rel}/${name}` : name, abs: join(dir, name), stat: lstatSync(join(dir, name)) };
    yield item;
    if (item.stat.isDirectory()) yield* walk(item.abs, item.rel);
  }
}

/** `dirs`: the same directory in each layer that contributes to it, top first. */
function* merged(dirs: string[], rel: string): Generator<FsItem> {
  const names = [...new Set(dirs.flatMap((d) => readdirSync(d)))].sort();
  for (const name of names) {
    const chain: FsItem[] = [];
    for (const dir of dirs) {
      const abs = join(dir, name);
      const stat = lstatSync(abs, { throwIfNoEntry: false });
      if (!stat) continue;
      if (isWhiteout(stat) || (chain.length > 0 && !stat.isDirectory())) break;
      chain.push({ rel: rel ? `${rel}/${name}` : name, abs, stat });
      if (!stat.isDirectory() || isOpaque(abs)) break;
    }
    if (chain.length === 0) continue;
    yield chain[0];
    if (chain[0].stat.isDirectory()) yield* merged(chain.map((c) => c.abs), chain[0].rel);
  }
}

/** Add a file, directory, link or device; a second name of a file becomes a hard link. */
async function addItem(tar: TarWriter, { rel, abs, stat }: FsItem, links: Map<string, string>): Promise<void> {
  stopIfInterrupted();
  if (stat.isSocket()) return; // a tar cannot hold one; Docker skips them too
  const header = headerOf(rel, abs, stat);
  const key = `${stat.dev}:${stat.ino}`;
  const first = !stat.isDirectory() && stat.nlink > 1 ? links.get(key) : undefined;
  if (first) return tar.add({ ...header, type: 'hardlink', size: 0, linkpath: first });
  if (!stat.isDirectory() && stat.nlink > 1) links.set(key, rel);
  await tar.add(header, header.type === 'file' ? createReadStream(abs) : undefined);
}

function headerOf(rel: string, abs: string, stat: Stats): TarHeader {
  const type = stat.isDirectory() ? 'dir' : stat.isSymbolicLink() ? 'symlink' : stat.isCharacterDevice() ? 'char' : stat.isBlockDevice() ? 'block' : stat.isFIFO() ? 'fifo' : 'file';
  return {
    path: type === 'dir' ? `${rel}/` : rel,
    type,
    mode: stat.mode & 0o7777,
    uid: stat.uid,
    gid: stat.gid,
    size: type === 'file' ? stat.size : 0,
    mtime: Math.floor(stat.mtimeMs / 1000),
    linkpath: type === 'symlink' ? readlinkSync(abs) : '',
    // Linux dev_t: major in bits 8-19 (and 32+), minor in bits 0-7 and 20-31.
    devmajor: (stat.rdev >>> 8) & 0xfff,
    devminor: (stat.rdev & 0xff) | ((stat.rdev >>> 12) & 0xfff00),
  };
}


/** Overlay -> OCI: the tar entry that stands for the whiteout at `rel`. */
function ociWhiteoutEntry(rel: string, stat: Stats): TarHeader {
  const slash = rel.lastIndexOf('/');
  return markerEntry(`${rel.slice(0, slash + 1)}${WHITEOUT_PREFIX}${rel.slice(slash + 1)}`, stat);
}

/** Overlay -> OCI: the tar entry that marks the directory `rel` opaque. */
function ociOpaqueEntry(rel: string, dir: string): TarHeader {
  return markerEntry(join(rel, OPAQUE_MARKER), lstatSync(dir));
}

function markerEntry(path: string, stat: Stats): TarHeader {
  return { path, type: 'file', mode: 0, uid: 0, gid: 0, size: 0, mtime: Math.floor(stat.mtimeMs / 1000), linkpath: '', devmajor: 0, devminor: 0 };
}
