import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from './dm-thin';

/** Which thin device is which: ids are kit's to give (the pool only numbers them). */
export interface Registry {
  nextId: number;
  base?: number;
  /** By chain: the layer digests (hex) from the bottom one to this one, joined by ':' (a layer's device holds the layers below too). */
  layers: Record<string, number>;
  /** By container id. */
  containers: Record<string, number>;
}

export const emptyRegistry = (): Registry => ({ nextId: 1, layers: {}, containers: {} });
export const registryFile = (pool: Pool) => join(pool.dir, 'devices.json');

export function readRegistry(pool: Pool): Registry {
  try {
    return JSON.parse(readFileSync(registryFile(pool), 'utf8')) as Registry;
  } catch {
    return emptyRegistry();
  }
}

export function writeRegistry(pool: Pool, registry: Registry): void {
  mkdirSync(pool.dir, { recursive: true });
  writeFileSync(`${registryFile(pool)}.tmp`, JSON.stringify(registry, null, 2));
  renameSync(`${registryFile(pool)}.tmp`, registryFile(pool));
}

export function allocate(pool: Pool): number {
  const registry = readRegistry(pool);
  writeRegistry(pool, { ...registry, nextId: registry.nextId + 1 });
  return registry.nextId;
}

/** Remember a device: `base`, or `layers/<chain>`, `containers/<id>` (the journal's form). */
export function register(pool: Pool, entry: string, id: number): void {
  const registry = readRegistry(pool);
  if (entry === 'base') registry.base = id;
  else registry[kindOf(entry)][entry.slice(entry.indexOf('/') + 1)] = id;
  writeRegistry(pool, registry);
}

const kindOf = (entry: string) => entry.slice(0, entry.indexOf('/')) as 'layers' | 'containers';

/** Forget a device: `base`, or `kind/key` as the journal records it. */
export function unregisterDevice(file: string, entry: string): void {
  if (!existsSync(file)) return;
  const registry = JSON.parse(readFileSync(file, 'utf8')) as Registry;
  if (entry === 'base') delete registry.base;
  else delete registry[kindOf(entry)][entry.slice(entry.indexOf('/') + 1)];
  writeFileSync(`${file}.tmp`, JSON.stringify(registry, null, 2));
  renameSync(`${file}.tmp`, file);
}

export function unregister(pool: Pool, entry: string): void {
  unregisterDevice(registryFile(pool), entry);
}
