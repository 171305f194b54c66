import { hostSnapshot } from '../../support/kit';
import { dmRoot, journals, leftovers as poolLeftovers, registry as poolRegistry, sh } from './dm-guest';
import { guestKitRoot, kitSlow, kitSlowJson } from './guest-kit';

/**
 * The devicemapper storage driver on a kernel with dm-thin-pool: a thin pool
 * on loop devices over sparse files in the kit root's data dir, layers as
 * snapshots, containers as snapshots of their image's top layer.
 */
const kr = guestKitRoot();
const before = hostSnapshot(kr.root);
const DM = ['--storage-driver', 'devicemapper', '--network', 'none'];
const dm = dmRoot(kr.root);
const { prefix } = dm;
const leftovers = () => poolLeftovers(dm);
const registry = () => poolRegistry(dm);

afterAll(() => {
  kitSlow(['rm', '-f', 'dm1'], kr.env);
  expect(hostSnapshot(kr.root)).toEqual(before);
  expect(leftovers()).toEqual({ devices: [], loops: [] });
  expect(journals(dm)).toEqual([]);
  kr.cleanup();
});

interface Info {
  drivers: Array<{ name: string; usable: boolean; problem: string | null }>;
  devicemapperPool: { pool: string; active: boolean; dataUsed: number; dataTotal: number; metadataUsed: number } | null;
}

test('kit info: devicemapper is usable on this kernel; no pool before the first container', () => {
  const info = kitSlowJson<Info>(['info'], kr.env);
  expect(info.drivers.find((d) => d.name === 'devicemapper')).toMatchObject({ name: 'devicemapper', usable: true, problem: null });
  expect(info.devicemapperPool).toBeNull();
});

test('a throwaway container: its root is an ext4 thin snapshot; when it ends its device is deleted and the pool is down', () => {
  const r = kitSlow(['run', ...DM, 'base', 'sh', '-c', 'grep " / " /proc/mounts; echo written > /file; cat /file'], kr.env);
  expect(r).toMatchObject({ status: 0 });
  expect(r.stdout).toMatch(new RegExp(`^/dev/mapper/${prefix}-[0-9a-f]{12} / ext4 `, 'm'));
  expect(r.stdout).toContain('written\n');
  const devices = registry();
  expect(devices.base).toBeDefined();
  expect(Object.keys(devices.layers)).toHaveLength(1); // base has one layer: a snapshot of the base device
  expect(devices.containers).toEqual({});
  expect(leftovers()).toEqual({ devices: [], loops: [] });
});

test('run -d, diff, commit, run the commit, rm: each a thin snapshot; kit info shows the pool; the host is clean after', () => {
  const run = kitSlow(['run', '-d', '--name', 'dm1', ...DM, 'base', 'sh', '-c', 'echo kept > /hello; rm /etc/kit-release; sleep 600'], kr.env);
  expect(run).toMatchObject({ status: 0 });
  const id = run.stdout.trim();
  const devices = registry();
  expect(devices.containers[id]).toBeGreaterThan(0);
  expect(leftovers().devices.sort()).toEqual([`${prefix}-${id}`, `${prefix}-pool`]);
  expect(sh(`dmsetup status ${prefix}-pool`).stdout).toMatch(/ thin-pool /);

  const info = kitSlowJson<Info>(['info'], kr.env);
  expect(info.devicemapperPool).toMatchObject({ pool: `${prefix}-pool`, active: true });
  expect(info.devicemapperPool!.dataUsed).toBeGreaterThan(0);
  expect(info.devicemapperPool!.dataUsed).toBeLessThan(info.devicemapperPool!.dataTotal);
  expect(kitSlow(['info'], kr.env).stdout).toMatch(new RegExp(`devicemapper Pool Name: ${prefix}-pool \\(active\\)\\n\\s+devicemapper Data Space Used: [\\d.]+[kMG]?B of 21.5GB`));

  expect(kitSlow(['stop', '-t', '1', 'dm1'], kr.env).status).toBe(0);
  expect(leftovers()).toEqual({ devices: [], loops: [] }); // stopped: device and pool down, the data kept
  const diff = kitSlow(['diff', 'dm1'], kr.env).stdout;
  expect(diff).toMatch(/^A \/hello$/m);
  expect(diff).toMatch(/^D \/etc\/kit-release$/m);
  expect(kitSlow(['commit', 'dm1', 'dmimg'], kr.env).status).toBe(0);
  expect(leftovers()).toEqual({ devices: [], loops: [] });

  const again = kitSlow(['run', ...DM, 'dmimg', 'sh', '-c', 'cat /hello; ls /etc/kit-release'], kr.env);
  expect(again.stdout).toBe('kept\n');
  expect(again.stderr).toMatch(/No such file/);
  expect(Object.keys(registry().layers)).toHaveLength(2); // the committed layer: a snapshot of base's

  expect(kitSlow(['rm', 'dm1'], kr.env).status).toBe(0);
  expect(registry().containers).toEqual({});
  expect(leftovers()).toEqual({ devices: [], loops: [] });
});
