import { chmodSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { hostSnapshot } from '../../support/kit';
import { dmRoot, journals, leftovers, registry, thinIdFree } from './dm-guest';
import { guestKitRoot, kitSlow, kitSlowBackground } from './guest-kit';

/**
 * The devicemapper pool shared and interrupted: a kit killed while it makes
 * the pool's devices (the next kit command undoes it from its journal),
 * several kits making and removing devices in one pool at once (the pool
 * lock), and a container in a user namespace on devicemapper.
 */
const kr = guestKitRoot();
// mkdtemp made it 0700: a container's root in a user namespace (an ordinary host uid) must pass through it, as through /var/lib.
chmodSync(kr.root, 0o711);
const before = hostSnapshot(kr.root);
const DM = ['--storage-driver', 'devicemapper', '--network', 'none'];
const dm = dmRoot(kr.root);
const clean = { devices: [], loops: [] };

afterAll(() => {
  expect(hostSnapshot(kr.root)).toEqual(before);
  expect(leftovers(dm)).toEqual(clean);
  kr.cleanup();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('kill -9 while kit makes the pool\'s devices: the next kit command deletes the half-made thin device and takes the pool down', async () => {
  const { child, done } = kitSlowBackground(['run', ...DM, 'base', 'true'], kr.env);
  // The base image is built first (no pool); kill as soon as a device is being made under its journal.
  let seen: string[] = [];
  while (child.exitCode === null && child.signalCode === null && (seen = journals(dm)).length === 0) await sleep(20);
  expect(seen).toHaveLength(1);
  child.kill('SIGKILL');
  expect((await done).status).toBeNull();
  const records = readFileSync(join(dm.dir, 'journals', seen[0]), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { op: string; id?: number });
  const made = records.find((r) => r.op === 'dm-thin-delete')!;
  expect(made).toMatchObject({ op: 'dm-thin-delete', pool: `${dm.prefix}-pool` }); // written before the device is created
  expect(leftovers(dm).devices).toContain(`${dm.prefix}-pool`); // the killed kit's pool is still up

  expect(kitSlow(['ps', '-a'], kr.env).status).toBe(0); // any kit command recovers
  expect(journals(dm)).toEqual([]);
  expect(leftovers(dm)).toEqual(clean);
  expect(Object.values(registry(dm).layers)).not.toContain(made.id);
  expect(registry(dm).base).not.toBe(made.id);
  expect(thinIdFree(dm, made.id!)).toBe(true);

  const r = kitSlow(['run', ...DM, 'base', 'cat', '/etc/kit-release'], kr.env);
  expect(r).toMatchObject({ status: 0 });
  expect(leftovers(dm)).toEqual(clean);
}, 900_000);

test('kill -9 in the middle of `kit rm`: the next kit command takes the pool down; kit rm again deletes the container\'s device and its dir; nothing is left', async () => {
  const name = `dm-rm-${process.pid}`;
  expect(kitSlow(['run', '--name', name, ...DM, 'base', 'sh', '-c', 'echo kept > /kept'], kr.env).status).toBe(0);
  const [id] = Object.values(registry(dm).containers);
  expect(id).toBeDefined();
  const { child, done } = kitSlowBackground(['rm', name], kr.env);
  // Killed once it has brought the pool up (under a journal of its own) to delete the device: the kernel names its dm devices in sysfs.
  const poolUp = () => readdirSync('/sys/block').some((n) => n.startsWith('dm-') && readFileSync(`/sys/block/${n}/dm/name`, 'utf8').trim() === `${dm.prefix}-pool`);
  while (child.exitCode === null && child.signalCode === null && !(journals(dm).length > 0 && poolUp())) await sleep(20);
  child.kill('SIGKILL');
  expect((await done).status).toBeNull();
  expect(journals(dm)).toHaveLength(1);
  expect(leftovers(dm).devices).toContain(`${dm.prefix}-pool`); // the killed kit's pool is still up

  expect(kitSlow(['ps', '-a'], kr.env).status).toBe(0); // any kit command recovers the pool
  expect(journals(dm)).toEqual([]);
  expect(leftovers(dm)).toEqual(clean);
  const rm = kitSlow(['rm', name], kr.env); // and kit rm finishes what was left of the container
  expect(rm).toMatchObject({ status: 0 });
  expect(registry(dm).containers).toEqual({});
  expect(thinIdFree(dm, id)).toBe(true);
  expect(leftovers(dm)).toEqual(clean);
  expect(kitSlow(['ps', '-a'], kr.env).stdout).not.toContain(name);
}, 900_000);

test('three kits at once on one pool (the first ones make the base and layer devices): each gets its own snapshot, none breaks another', async () => {
  // A fresh pool (the pool is down, nothing uses it): the three race to activate it and to make the base and layer devices.
  rmSync(dm.dir, { recursive: true });
  const runs = [1, 2, 3].map((n) => kitSlowBackground(['run', ...DM, 'base', 'sh', '-c', `echo ${n} > /mine; sleep 1; cat /mine; grep -c . /etc/kit-release`], kr.env));
  const results = await Promise.all(runs.map((r) => r.done));
  results.forEach((r, i) => expect({ run: i + 1, ...r }).toMatchObject({ run: i + 1, status: 0, stdout: `${i + 1}\n1\n` }));
  const devices = registry(dm);
  expect(devices.base).toBeDefined();
  expect(Object.keys(devices.layers)).toHaveLength(1); // one device for base's layer, not one per racing kit
  expect(devices.containers).toEqual({});
  expect(journals(dm)).toEqual([]);
  expect(leftovers(dm)).toEqual(clean); // the last one out took the pool down
}, 900_000);

test('--userns=auto with devicemapper: the container\'s mounted root is idmapped, the layer devices stay as stored (no copy for the range); root inside owns / and writes it', () => {
  const r = kitSlow(['run', ...DM, '--userns=auto', 'base', 'sh', '-c', 'id -u; stat -c %u:%g / /etc/kit-release; echo w > /w; cat /w; cat /proc/self/uid_map'], kr.env);
  if (r.status !== 0) throw new Error(`kit run exited ${r.status}: ${r.stderr}`);
  const [uid, stat1, stat2, written, map] = r.stdout.trim().split('\n');
  expect([uid, stat1, stat2, written]).toEqual(['0', '0:0', '0:0', 'w']);
  const start = Number(map.trim().split(/\s+/)[1]);
  expect(start).toBeGreaterThan(0);
  const layers = Object.keys(registry(dm).layers);
  expect(layers).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/)]); // base's layer as stored, shared: no copy with moved owners
  expect(r.stderr).not.toMatch(/copied layer|moved the owners/);
  expect(leftovers(dm)).toEqual(clean);
});
