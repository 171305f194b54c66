import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CgroupIo } from '../../core/cgroups/driver';
import { usageDirs } from '../../core/cgroups/container';
import { createCgroup, removeCgroup, writeAll } from '../../core/cgroups/lifecycle';
import { statsBetween, type UsageSample } from '../../core/cgroups/stats';
import { readUsage } from '../../core/cgroups/usage';
import { toLimits, sharesToWeight, parseBytes, type Resources } from '../../core/cgroups/limits';
import { V1Driver } from '../../core/cgroups/v1';
import { V2Driver } from '../../core/cgroups/v2';
import { resourcesFromFlags } from '../../bin/flags/cgroups';

/**
 * The drivers against fixture trees: a temp dir laid out like a cgroup
 * filesystem. A fixture cannot make files appear on mkdir as the kernel
 * does, so its io creates them on write; what is checked is which file got
 * which value.
 */
function fixtureIo(): CgroupIo {
  return {
    mkdir: (path) => (existsSync(path) ? -17 : (mkdirSync(path), 0)),
    rmdir: (path) => (existsSync(path) ? (rmSync(path, { recursive: true }), 0) : -2),
    write: (path, value) => (existsSync(dirname(path)) ? (writeFileSync(path, value), value.length) : -2),
    read: (path) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined),
    kill: () => 0,
    error: (ret) => new Error(`errno ${-ret}`),
  };
}

const EVERY_FLAG: Resources = { cpuQuota: 50000, cpuPeriod: 200000, cpuShares: 512, memory: parseBytes('--memory', '64m'), memorySwap: parseBytes('--memory-swap', '96m'), pidsLimit: 20, cpusetCpus: '0' };

function applyAll(driver: V1Driver | V2Driver, resources: Resources, id: string): void {
  const io = fixtureIo();
  const limits = toLimits(resources, 2);
  for (const dir of driver.cgroups(id, driver.controllersFor(limits))) {
    createCgroup(io, dir);
    expect(writeAll(io, driver.limitWrites(dir, limits))).toBeUndefined();
  }
}

const read = (path: string) => readFileSync(path, 'utf8');
let root: string;
beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'kit-cgfixture-'))));
afterEach(() => rmSync(root, { recursive: true, force: true }));

test('v2 driver: every docker flag lands in its v2 file; controllers enabled in kit/ only, the root is read, never written', () => {
  writeFileSync(join(root, 'cgroup.controllers'), 'cpuset cpu io memory hugetlb pids rdma misc\n');
  writeFileSync(join(root, 'cgroup.subtree_control'), 'cpuset cpu io memory pids\n'); // what systemd delegates
  applyAll(new V2Driver(root), EVERY_FLAG, 'c1');
  const dir = join(root, 'kit', 'c1');
  expect(read(join(dir, 'cpu.max'))).toBe('50000 200000');
  expect(read(join(dir, 'cpu.weight'))).toBe(String(sharesToWeight(512)));
  expect(read(join(dir, 'memory.max'))).toBe(String(64 * 1024 * 1024));
  expect(read(join(dir, 'memory.swap.max'))).toBe(String(32 * 1024 * 1024)); // swap alone = memory-swap - memory
  expect(read(join(dir, 'pids.max'))).toBe('20');
  expect(read(join(dir, 'cpuset.cpus'))).toBe('0');
  expect(read(join(root, 'cgroup.subtree_control'))).toBe('cpuset cpu io memory pids\n');
  expect(read(join(root, 'kit', 'cgroup.subtree_control'))).toBe('+cpuset +cpu +io +memory +pids');
});

test("an OCI cgroupsPath: kit makes the caller's parent if missing but never removes it; kit's own kit/ goes with its last container", () => {
  writeFileSync(join(root, 'cgroup.controllers'), 'cpu memory pids\n');
  writeFileSync(join(root, 'cgroup.subtree_control'), 'cpu memory pids\n');
  const driver = new V2Driver(root);
  const io = fixtureIo();
  const [oci] = driver.cgroups('c1', ['pids'], 'libpod_parent/libpod-c1');
  const [own] = driver.cgroups('c2', ['pids']);
  expect([oci.sharedParent, own.sharedParent]).toEqual([false, true]);
  createCgroup(io, oci);
  createCgroup(io, own);
  expect(removeCgroup(io, oci.path, undefined)).toBeUndefined(); // the journal records no parent for it
  expect(removeCgroup(io, own.path, own.parent)).toBeUndefined();
  expect([existsSync(oci.path), existsSync(join(root, 'libpod_parent'))]).toEqual([false, true]);
  expect([existsSync(own.path), existsSync(join(root, 'kit'))]).toEqual([false, false]);
});

test('v2 driver: --cpus, a period alone, unlimited swap and the shares conversion', () => {
  writeFileSync(join(root, 'cgroup.controllers'), 'cpu memory pids\n');
  writeFileSync(join(root, 'cgroup.subtree_control'), 'cpu memory pids\n');
  const driver = new V2Driver(root);
  applyAll(driver, { cpus: 1.5, memory: 64 << 20, memorySwap: -1 }, 'a');
  expect(read(join(root, 'kit', 'a', 'cpu.max'))).toBe('150000 100000');
  expect(read(join(root, 'kit', 'a', 'memory.swap.max'))).toBe('max');
  applyAll(driver, { cpuPeriod: 50000 }, 'b');
  expect(read(join(root, 'kit', 'b', 'cpu.max'))).toBe('max 50000');
  expect([2, 1024, 262144].map(sharesToWeight)).toEqual([1, 39, 10000]);
});

test('v1 driver: one dir per hierarchy, v1 file names, memsw = memory+swap, cpuset mems copied', () => {
  for (const c of ['cpu', 'cpuacct', 'memory', 'pids', 'cpuset']) mkdirSync(join(root, c));
  writeFileSync(join(root, 'cpuset', 'cpuset.cpus'), '0-1\n');
  writeFileSync(join(root, 'cpuset', 'cpuset.mems'), '0\n');
  writeFileSync(join(root, 'memory', 'memory.memsw.limit_in_bytes'), '9223372036854771712\n');
  applyAll(new V1Driver(root, ['cpu', 'cpuacct', 'memory', 'pids', 'cpuset']), EVERY_FLAG, 'c1');
  expect(read(join(root, 'cpu', 'kit', 'c1', 'cpu.cfs_quota_us'))).toBe('50000');
  expect(read(join(root, 'cpu', 'kit', 'c1', 'cpu.cfs_period_us'))).toBe('200000');
  expect(read(join(root, 'cpu', 'kit', 'c1', 'cpu.shares'))).toBe('512');
  expect(read(join(root, 'memory', 'kit', 'c1', 'memory.limit_in_bytes'))).toBe(String(64 << 20));
  expect(read(join(root, 'memory', 'kit', 'c1', 'memory.memsw.limit_in_bytes'))).toBe(String(96 << 20));
  expect(read(join(root, 'pids', 'kit', 'c1', 'pids.max'))).toBe('20');
  expect(read(join(root, 'cpuset', 'kit', 'cpuset.cpus'))).toBe('0-1');
  expect(read(join(root, 'cpuset', 'kit', 'c1', 'cpuset.cpus'))).toBe('0');
  expect(read(join(root, 'cpuset', 'kit', 'c1', 'cpuset.mems'))).toBe('0');
  expect(existsSync(join(root, 'cpuacct', 'kit', 'c1'))).toBe(true);
});

test('v1 driver: co-mounted controllers (cpu,cpuacct) share one directory', () => {
  mkdirSync(join(root, 'cpu,cpuacct'));
  symlinkSync('cpu,cpuacct', join(root, 'cpu'));
  symlinkSync('cpu,cpuacct', join(root, 'cpuacct'));
  const driver = new V1Driver(root, ['cpu', 'cpuacct']);
  const dirs = driver.cgroups('x', ['cpu', 'cpuacct']);
  expect(dirs).toHaveLength(1);
  expect(dirs[0].controllers).toEqual(['cpu', 'cpuacct']);
});

test.each([
  [{ 'cpu-quota': '500' }, /--cpu-quota "500" is not valid: it takes a value from 1000 to 17592186044415/],
  [{ 'cpu-period': '5000000' }, /--cpu-period "5000000" is not valid: it takes a value from 1000 to 1000000/],
  [{ memory: '12q' }, /--memory "12q" is not valid: it takes a size like 64m/],
  [{ memory: '1m' }, /--memory "1048576" is not valid: it takes a value from 6291456/],
  [{ cpus: '0' }, /--cpus "0" is not valid: it takes a value from 0.01 to 2 CPUs/],
  [{ 'pids-limit': '-5' }, /--pids-limit "-5" is not valid: it takes a value from 1 to 4194304/],
  [{ 'cpu-shares': '1' }, /--cpu-shares "1" is not valid: it takes a value from 2 to 262144/],
  [{ 'cpuset-cpus': '7' }, /--cpuset-cpus "7" is not valid: it takes CPUs 0-1/],
  [{ 'memory-swap': '64m' }, /--memory-swap needs --memory/],
  [{ memory: '64m', 'memory-swap': '32m' }, /--memory-swap \d+ is smaller than --memory/],
  [{ cpus: '0.5', 'cpu-quota': '50000' }, /--cpus and --cpu-quota\/--cpu-period both set/],
])('bad flags %j: one line naming the flag and the accepted range', (flags, message) => {
  expect(() => toLimits(resourcesFromFlags(flags), 2)).toThrow(message);
});

test('a controller this host lacks is refused by name, before anything is created', () => {
  writeFileSync(join(root, 'cgroup.controllers'), '\n');
  const driver = new V2Driver(root);
  expect(() => driver.check(toLimits({ cpuQuota: 50000 }, 2))).toThrow(/--cpu-quota\/--cpu-period\/--cpus needs the cpu controller, which the cgroup v2 tree at .* does not offer \(its cgroup.controllers: none\)/);
  expect(() => new V1Driver(root, ['cpu']).check(toLimits({ pidsLimit: 5 }, 2))).toThrow(/--pids-limit needs the pids controller/);
  expect(readdirSync(root)).toEqual(['cgroup.controllers']);
});

test('v2: a controller the tree has but the root does not delegate is one line naming it, the file and the fix; nothing created', () => {
  writeFileSync(join(root, 'cgroup.controllers'), 'cpu io memory pids\n');
  writeFileSync(join(root, 'cgroup.subtree_control'), 'cpu memory\n');
  const driver = new V2Driver(root);
  const control = join(root, 'cgroup.subtree_control');
  let error: unknown;
  try {
    driver.check(toLimits({ pidsLimit: 10 }, 2));
  } catch (err) {
    error = err;
  }
  expect(error).toMatchObject({ message: `--pids-limit needs the pids controller, which is not delegated to kit: ${control} enables cpu memory`, hint: expect.stringContaining(`echo +pids > ${control}`) });
  // Without the flag, kit uses what it is given: the accounting controllers delegated to it.
  expect(driver.controllersFor(toLimits({}, 2))).toEqual(['cpu', 'memory']);
  expect(readdirSync(root).sort()).toEqual(['cgroup.controllers', 'cgroup.subtree_control']);
});

/** What `kit stats` computes from a container's directories, with the clock and the host's memory given. */
function statsFrom(driver: V1Driver | V2Driver, resources: Resources, id: string, tick: () => void) {
  const limits = toLimits(resources, 2);
  const dirs = usageDirs({ driver, limits, dirs: driver.cgroups(id, driver.controllersFor(limits)) });
  const first: UsageSample = { usage: readUsage(dirs), atNs: 0n };
  tick();
  return statsBetween(first, { usage: readUsage(dirs), atNs: 2_000_000_000n }, HOST_MEMORY);
}

const HOST_MEMORY = 8 * 1024 ** 3;
const cpuStat = (usageUsec: number) => `usage_usec ${usageUsec}\nuser_usec ${usageUsec}\nsystem_usec 0\nnr_periods 20\nnr_throttled 10\nthrottled_usec 900000\n`;

test('v2 stats from a fixture tree: CPU % from usage_usec over the window, memory.current / memory.max, pids.current / pids.max', () => {
  writeFileSync(join(root, 'cgroup.controllers'), 'cpu memory pids\n');
  writeFileSync(join(root, 'cgroup.subtree_control'), 'cpu memory pids\n');
  const driver = new V2Driver(root);
  const resources = { cpuQuota: 50000, memory: 64 << 20, pidsLimit: 20 };
  applyAll(driver, resources, 'c1');
  const dir = join(root, 'kit', 'c1');
  writeFileSync(join(dir, 'cpu.stat'), cpuStat(7_000_000));
  writeFileSync(join(dir, 'memory.current'), `${16 << 20}\n`);
  writeFileSync(join(dir, 'pids.current'), '3\n');
  // 1 s of CPU time in 2 s of wall-clock time: half a CPU.
  const stats = statsFrom(driver, resources, 'c1', () => writeFileSync(join(dir, 'cpu.stat'), cpuStat(8_000_000)));
  expect(stats).toEqual({ cpuPercent: 50, memoryUsage: 16 << 20, memoryLimit: 64 << 20, memoryLimited: true, memoryPercent: 25, pids: 3, pidsLimit: 20 });
});

test('v2 stats without limits: "max" reads as the host\'s memory and no pids limit; a missing file is null', () => {
  writeFileSync(join(root, 'cgroup.controllers'), 'cpu memory\n');
  const driver = new V2Driver(root);
  applyAll(driver, {}, 'c2');
  const dir = join(root, 'kit', 'c2');
  writeFileSync(join(dir, 'cpu.stat'), cpuStat(0));
  writeFileSync(join(dir, 'memory.current'), `${HOST_MEMORY / 4}\n`);
  writeFileSync(join(dir, 'memory.max'), 'max\n');
  const stats = statsFrom(driver, {}, 'c2', () => writeFileSync(join(dir, 'cpu.stat'), cpuStat(3_000_000)));
  expect(stats).toEqual({ cpuPercent: 150, memoryUsage: HOST_MEMORY / 4, memoryLimit: HOST_MEMORY, memoryLimited: false, memoryPercent: 25, pids: null, pidsLimit: null });
});

test('v1 stats from a fixture tree: cpuacct.usage in nanoseconds, the "unlimited" memory limit is the host\'s memory', () => {
  for (const c of ['cpu', 'cpuacct', 'memory', 'pids']) mkdirSync(join(root, c));
  const driver = new V1Driver(root, ['cpu', 'cpuacct', 'memory', 'pids']);
  applyAll(driver, {}, 'c3');
  const at = (c: string, f: string) => join(root, c, 'kit', 'c3', f);
  writeFileSync(at('cpuacct', 'cpuacct.usage'), '5000000000\n');
  writeFileSync(at('memory', 'memory.usage_in_bytes'), `${1 << 20}\n`);
  writeFileSync(at('memory', 'memory.limit_in_bytes'), '9223372036854771712\n');
  writeFileSync(at('pids', 'pids.current'), '1\n');
  writeFileSync(at('pids', 'pids.max'), 'max\n');
  const stats = statsFrom(driver, {}, 'c3', () => writeFileSync(at('cpuacct', 'cpuacct.usage'), '5500000000\n'));
  expect(stats).toEqual({ cpuPercent: 25, memoryUsage: 1 << 20, memoryLimit: HOST_MEMORY, memoryLimited: false, memoryPercent: 0.01, pids: 1, pidsLimit: null });
});

describe('per-device block I/O (an OCI blockIO: weightDevice, throttle*Device), as runc writes it', () => {
  const devices: Resources['blkioDevices'] = {
    weight: [{ major: 8, minor: 0, value: 300 }],
    readBps: [{ major: 8, minor: 0, value: 1048576 }, { major: 7, minor: 3, value: 2048 }],
    writeIops: [{ major: 8, minor: 16, value: 100 }],
  };
  const lines = (driver: V1Driver | V2Driver, dir: string) => {
    const limits = toLimits({ blkioDevices: devices }, 2);
    const [cgroup] = driver.cgroups('c', driver.controllersFor(limits)).filter((d) => d.controllers.includes('blkio') || driver.version === 'v2');
    return driver.limitWrites(cgroup, limits).map((w) => `${w.file.slice(dir.length + 1)} ${w.value}`);
  };

  test('v1: one "major:minor value" line per write, to the BFQ weight file when the cgroup has it, and the four throttle files', () => {
    mkdirSync(join(root, 'blkio', 'kit', 'c'), { recursive: true });
    writeFileSync(join(root, 'blkio', 'kit', 'c', 'blkio.bfq.weight_device'), '');
    const driver = new V1Driver(root, ['blkio']);
    expect(driver.controllersFor(toLimits({ blkioDevices: devices }, 2))).toContain('blkio');
    expect(lines(driver, join(root, 'blkio', 'kit', 'c'))).toEqual([
      'blkio.bfq.weight_device 8:0 300',
      'blkio.throttle.read_bps_device 8:0 1048576',
      'blkio.throttle.read_bps_device 7:3 2048',
      'blkio.throttle.write_iops_device 8:16 100',
    ]);
  });

  test('v2: io.max lines with their key; a device weight to io.bfq.weight as is, or to io.weight converted', () => {
    writeFileSync(join(root, 'cgroup.controllers'), 'io memory\n');
    writeFileSync(join(root, 'cgroup.subtree_control'), 'io memory\n');
    const driver = new V2Driver(root);
    const dir = join(root, 'kit', 'c');
    expect(lines(driver, dir)).toEqual(['io.weight 8:0 2930', 'io.max 8:0 rbps=1048576', 'io.max 7:3 rbps=2048', 'io.max 8:16 wiops=100']);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'io.bfq.weight'), 'default 100\n');
    expect(lines(driver, dir)[0]).toBe('io.bfq.weight 8:0 300');
  });

  test('a weight out of 10..1000 or a device number that is not one is refused before anything is made', () => {
    expect(() => toLimits({ blkioDevices: { weight: [{ major: 8, minor: 0, value: 5 }] } }, 2)).toThrow('--blkio-weight-device 8:0 5: a weight goes from 10 to 1000');
    expect(() => toLimits({ blkioDevices: { readBps: [{ major: -1, minor: 0, value: 5 }] } }, 2)).toThrow('--device-read-bps -1:0 5: the device number is not a major:minor pair');
  });
});
