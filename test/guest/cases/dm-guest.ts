import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What the devicemapper tests in the guest look at from outside kit: the
 * pool's devices (dmsetup), the loop devices over its files (losetup), its
 * registry and the journals of half-done work.
 */
export interface DmRoot {
  /** <root>/data/devicemapper */
  dir: string;
  /** kit-<hash of the data dir>: the name prefix of every device of the pool */
  prefix: string;
}

export function dmRoot(kitRoot: string): DmRoot {
  const data = join(kitRoot, 'data');
  return { dir: join(data, 'devicemapper'), prefix: `kit-${createHash('sha256').update(data).digest('hex').slice(0, 10)}` };
}

export function sh(command: string): { status: number | null; stdout: string; stderr: string } {
  return spawnSync('sh', ['-c', command], { encoding: 'utf8', env: { ...process.env, DM_DISABLE_UDEV: '1' } });
}

/** dm devices of this pool, and loop devices over its files. */
export function leftovers(dm: DmRoot): { devices: string[]; loops: string[] } {
  const devices = sh('dmsetup ls').stdout.split('\n').map((l) => l.split(/\s+/)[0]).filter((n) => n.startsWith(dm.prefix));
  const loops = sh('losetup --list --noheadings --output BACK-FILE').stdout.split('\n').map((l) => l.trim()).filter((f) => f.startsWith(dm.dir));
  return { devices, loops };
}

export interface Registry {
  nextId: number;
  base?: number;
  layers: Record<string, number>;
  containers: Record<string, number>;
}

export const registry = (dm: DmRoot) => JSON.parse(readFileSync(join(dm.dir, 'devices.json'), 'utf8')) as Registry;

/** The journals of pool work in progress, or left by a killed kit. */
export function journals(dm: DmRoot): string[] {
  const dir = join(dm.dir, 'journals');
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.journal')) : [];
}

/**
 * Whether thin device `id` is absent from the pool's metadata: the pool is
 * brought up by hand (as kit does), `create_thin id` succeeds only for a
 * free id, then everything is taken down again. Call while kit does not use
 * the pool.
 */
export function thinIdFree(dm: DmRoot, id: number): boolean {
  const pool = `${dm.prefix}-probe`;
  const sectors = statSync(join(dm.dir, 'data')).size / 512;
  const r = sh(`set -e
meta=$(losetup --find --show ${dm.dir}/metadata); data=$(losetup --find --show ${dm.dir}/data)
trap 'dmsetup remove ${pool}; losetup -d $meta $data' EXIT
dmsetup create ${pool} --table "0 ${sectors} thin-pool $meta $data 128 32768 1 skip_block_zeroing"
if dmsetup message ${pool} 0 "create_thin ${id}"; then dmsetup message ${pool} 0 "delete ${id}"; echo free; else echo taken; fi`);
  if (!/^(free|taken)$/m.test(r.stdout)) throw new Error(`could not probe the pool: ${r.stderr}`);
  return r.stdout.includes('free');
}
