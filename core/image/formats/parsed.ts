import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KitError } from '../../errors';
import type { HistoryEntry, ImageConfig } from '../store';

/** An image read from an unpacked archive, before its layers are stored. */
export interface ParsedImage {
  /** Bottom layer first. */
  layers: ParsedLayer[];
  config: ImageConfig;
  history: HistoryEntry[];
}

export interface ParsedLayer {
  /** The layer tar (gzipped or not) inside the unpacked archive. */
  file: string;
  /** A directory already holding the layer's files (a plain rootfs tar, unpacked once). */
  unpacked?: string;
  /** sha256 of the uncompressed layer tar, as the image config lists it. */
  diffId: string;
  /** The digest of the file as stored, when the format names one (OCI blobs). */
  blobDigest?: string;
  createdBy: string;
}

/** The image config fields kit runs with, from a Docker/OCI config JSON. */
export interface ConfigJson {
  config?: ImageConfig & Record<string, unknown>;
  rootfs?: { diff_ids?: string[] };
  history?: Array<{ created_by?: string; empty_layer?: boolean }>;
}

export class CorruptImageError extends KitError {
  constructor(what: string) {
    super(`the image archive is corrupt: ${what}`, 'export or save the image again, then import the new file');
  }
}

/** A file named by the archive's own metadata, which must stay inside it. */
export function fileInside(dir: string, rel: string, what: string): string {
  if (typeof rel !== 'string' || rel.startsWith('/') || rel.split('/').includes('..')) throw new CorruptImageError(`${what} '${rel}' points outside the archive`);
  return join(dir, rel);
}

/** Cmd, Entrypoint, Env, WorkingDir and the history, from a config JSON. */
export function configAndHistory(json: ConfigJson, layerCount: number, source: string): { config: ImageConfig; history: HistoryEntry[]; createdBy: string[] } {
  const c = json.config ?? {};
  const config: ImageConfig = {};
  if (c.Cmd) config.Cmd = c.Cmd;
  if (c.Entrypoint) config.Entrypoint = c.Entrypoint;
  if (c.Env) config.Env = c.Env;
  if (c.WorkingDir) config.WorkingDir = c.WorkingDir;
  const history: HistoryEntry[] = (json.history ?? []).map((h) => ({ createdBy: h.created_by ?? '', ...(h.empty_layer ? { emptyLayer: true } : {}) }));
  const layerSteps = history.filter((h) => !h.emptyLayer).map((h) => h.createdBy);
  const createdBy = Array.from({ length: layerCount }, (_, i) => layerSteps[i] || `imported from ${source}`);
  return { config, history: history.length ? history : createdBy.map((c) => ({ createdBy: c })), createdBy };
}

/** The layer digests (diffIDs) a config lists; one per layer or the image is corrupt. */
export function diffIds(json: ConfigJson, layerCount: number): string[] {
  const ids = json.rootfs?.diff_ids ?? [];
  if (ids.length !== layerCount) throw new CorruptImageError(`the config lists ${ids.length} layer digests (rootfs.diff_ids) for ${layerCount} layers`);
  return ids;
}

export function readJson<T>(file: string, name: string): T {
  if (!existsSync(file)) throw new CorruptImageError(`'${name}' is missing`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    throw new CorruptImageError(`'${name}' is not valid JSON`);
  }
}

/** This machine's architecture as Go (and so image configs) spell it. */
export function goArch(): string {
  return ({ x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x' } as Record<string, string>)[process.arch] ?? process.arch;
}
