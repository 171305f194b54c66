import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { hostSnapshot, requireRoot, tempKitRoot } from '../support/kit';
import { ociHarness, RUNTIME, until } from '../support/oci-bundle';

/**
 * kit-runtime's cgroup verbs on this (v1) host: per-device block I/O from
 * config.json, `update` (runc's flags and --resources JSON, as containerd's
 * shim pipes it for `docker update`), `events` (--stats, and oom lines).
 * Each test reads the container's cgroup files from outside.
 */
requireRoot();
const kr = tempKitRoot();
const before = hostSnapshot(kr.root);
const { makeBundle, runtime, create, deleteAll } = ociHarness(kr);
const parent = `kit-oci-resources-${process.pid}`;
const hierarchies = () => readdirSync('/sys/fs/cgroup').filter((h) => h !== 'unified' && existsSync(join('/sys/fs/cgroup', h, 'cgroup.procs')));
afterEach(() => {
  deleteAll();
  // the cgroupsPath's parent is the caller's (kit never removes it): this test made it
  for (const h of hierarchies()) spawnSync('rmdir', [join('/sys/fs/cgroup', h, parent)]);
  expect(hostSnapshot(kr.root)).toEqual(before);
});
afterAll(() => kr.cleanup());

const cg = (controller: string, id: string, file: string) => readFileSync(join('/sys/fs/cgroup', controller, parent, id, file), 'utf8').trim();
const MiB = 1024 * 1024;

/** A loop device over a file of this test's, using BFQ (a per-device weight needs it); detached by the returned function. */
function loopDevice(): { major: number; minor: number; remove(): void } {
  const image = join(kr.root, 'disk.img');
  writeFileSync(image, '');
  truncateSync(image, 16 * MiB);
  const dev = execFileSync('losetup', ['--find', '--show', image], { encoding: 'utf8' }).trim();
  const sys = join('/sys/block', basename(dev));
  writeFileSync(join(sys, 'queue', 'scheduler'), 'bfq');
  const [major, minor] = readFileSync(join(sys, 'dev'), 'utf8').trim().split(':').map(Number);
  return { major, minor, remove: () => (spawnSync('losetup', ['-d', dev]), rmSync(image, { force: true })) };
}

test('blockIO weightDevice and throttles land in blkio.bfq.weight_device and blkio.throttle.*; update changes memory, pids, cpu and a throttle, by flags and by --resources on stdin', async () => {
  const disk = loopDevice();
  const dev = `${disk.major}:${disk.minor}`;
  try {
    const bundle = makeBundle('b-update', (c) => {
      c.process.args = ['sh', '-c', 'echo up; exec sleep 60'];
      c.linux.cgroupsPath = `/${parent}/upd`;
      c.linux.resources = {
        memory: { limit: 64 * MiB },
        pids: { limit: 50 },
        cpu: { quota: 20000, period: 100000 },
        blockIO: {
          weightDevice: [{ major: disk.major, minor: disk.minor, weight: 300 }],
          throttleReadBpsDevice: [{ major: disk.major, minor: disk.minor, rate: MiB }],
          throttleWriteIOPSDevice: [{ major: disk.major, minor: disk.minor, rate: 100 }],
        },
      };
    });
    const c = create(bundle, 'kit-oci-upd');
    expect(c.output()).toBe('');
    expect(c.status).toBe(0);
    expect(cg('blkio', 'upd', 'blkio.bfq.weight_device').split('\n')).toContain(`${dev} 300`);
    expect(cg('blkio', 'upd', 'blkio.throttle.read_bps_device')).toBe(`${dev} ${MiB}`);
    expect(cg('blkio', 'upd', 'blkio.throttle.write_iops_device')).toBe(`${dev} 100`);
    expect(runtime(['start', 'kit-oci-upd']).status).toBe(0);
    expect(await until(() => c.output() === 'up\n')).toBe(true);

    // runc's flags: a memory size with its unit, the rest as they were (the period stays 100000)
    const flags = runtime(['update', '--memory', '128m', '--pids-limit', '20', '--cpu-quota', '50000', 'kit-oci-upd']);
    expect(flags.stderr).toBe('');
    expect(flags.status).toBe(0);
    expect(cg('memory', 'upd', 'memory.limit_in_bytes')).toBe(String(128 * MiB));
    expect(cg('pids', 'upd', 'pids.max')).toBe('20');
    expect(cg('cpu', 'upd', 'cpu.cfs_quota_us')).toBe('50000');
    expect(cg('cpu', 'upd', 'cpu.cfs_period_us')).toBe('100000');

    // containerd's shim: `update --resources -` with a LinuxResources object on stdin (docker update --memory 96m --cpu-shares 512)
    const resources = { memory: { limit: 96 * MiB }, cpu: { shares: 512 }, blockIO: { throttleReadBpsDevice: [{ major: disk.major, minor: disk.minor, rate: 2 * MiB }] } };
    const json = runtime(['update', '--resources', '-', 'kit-oci-upd'], JSON.stringify(resources));
    expect(json.stderr).toBe('');
    expect(json.status).toBe(0);
    expect(cg('memory', 'upd', 'memory.limit_in_bytes')).toBe(String(96 * MiB));
    expect(cg('cpu', 'upd', 'cpu.shares')).toBe('512');
    expect(cg('blkio', 'upd', 'blkio.throttle.read_bps_device')).toBe(`${dev} ${2 * MiB}`);
    expect(cg('pids', 'upd', 'pids.max')).toBe('20'); // what the JSON did not name stays

    // refused, one line each, nothing changed
    const bad: Array<[string[], string | RegExp]> = [
      [['update', '--memory', '1k', 'kit-oci-upd'], /^kit-runtime: --memory "1024" is not valid: it takes a value from 6291456 to/],
      [['update', '--cpuset-mems', '0', 'kit-oci-upd'], 'kit-runtime: update: --cpuset-mems is not supported by kit-runtime'],
      [['update', '--resources', '-', '--memory', '64m', 'kit-oci-upd'], 'kit-runtime: update: --resources and --memory both set limits; give one or the other'],
      [['update', '--memory', '64m', 'kit-oci-nope'], 'kit-runtime: container "kit-oci-nope" does not exist'],
    ];
    for (const [args, line] of bad) {
      const r = runtime(args, '{}');
      expect(r.stderr.split('\n')[0]).toMatch(typeof line === 'string' ? new RegExp(`^${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) : line);
      expect(r.status).toBe(1);
    }
    const notJson = runtime(['update', '--resources', '-', 'kit-oci-upd'], '{"memory": {"limit": 1}, "rdma": {}}');
    expect(notJson.stderr).toBe('kit-runtime: update --resources (stdin): rdma is not supported by kit-runtime yet; remove it: kit-runtime does not support it yet\n');
    expect(cg('memory', 'upd', 'memory.limit_in_bytes')).toBe(String(96 * MiB));

    // the trace has each write with its reason, under "kit-runtime update"
    const trace = readFileSync(join(kr.root, 'run', 'oci-traces', 'kit-oci-upd.jsonl'), 'utf8');
    expect(trace).toContain('{"verb":"update"');
    expect(trace).toMatch(/"syscall":"write".*memory\.limit_in_bytes/);
  } finally {
    runtime(['delete', '--force', 'kit-oci-upd']);
    disk.remove();
  }
});

test('events --stats: runc\'s stats line, whose cpu, memory and pids numbers move while the container works; events streams stats and an oom line, and ends with the container', async () => {
  const bundle = makeBundle(
    'b-events',
    (c) => {
      // a busy loop (cpu, one more pid) until the test says go, then dd asking for 64 MiB in a 32 MiB cgroup: the OOM killer takes dd, sh goes on
      c.process.args = ['sh', '-c', 'while :; do :; done & echo up; while [ ! -e /go ]; do sleep 0.1; done; kill $!; dd if=/dev/zero of=/dev/null bs=64M count=1; sleep 1'];
      c.linux.cgroupsPath = `/${parent}/ev`;
      c.linux.resources = { memory: { limit: 32 * MiB }, pids: { limit: 50 } };
    },
    ['sh', 'sleep', 'dd', 'kill'],
  );
  const c = create(bundle, 'kit-oci-ev');
  expect(c.status).toBe(0);
  const stats = () => {
    const r = runtime(['events', '--stats', 'kit-oci-ev']);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const event = JSON.parse(lines[0]);
    expect(event).toMatchObject({ type: 'stats', id: 'kit-oci-ev' });
    return event.data;
  };
  const idle = stats();
  expect(idle.pids.current).toBe(1); // kit-init, waiting at exec.fifo
  expect(idle.memory.usage.limit).toBe(32 * MiB);
  expect(idle.pids.limit).toBe(50);
  expect(runtime(['start', 'kit-oci-ev']).status).toBe(0);
  expect(await until(() => c.output().startsWith('up\n'))).toBe(true);
  await new Promise((r) => setTimeout(r, 500));
  const busy = stats();
  expect(busy.pids.current).toBeGreaterThanOrEqual(3); // sh, the loop's subshell, sleep
  expect(busy.cpu.usage.total).toBeGreaterThan(idle.cpu.usage.total + 100_000_000); // > 0.1 s of CPU, in nanoseconds
  expect(busy.cpu.usage.user).toBeGreaterThan(0);
  expect(busy.memory.usage.usage).toBeGreaterThan(0);

  // streaming: once its first stats line is out, the container is told to go and runs out of memory
  const stream = spawn(RUNTIME, ['--root', kr.root, 'events', '--interval', '250ms', 'kit-oci-ev'], { env: kr.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  stream.stdout.on('data', (d) => (out += d));
  stream.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => stream.on('close', resolve));
  expect(await until(() => out.includes('"type":"stats"'))).toBe(true);
  writeFileSync(join(bundle, 'rootfs', 'go'), '');
  expect(await exited).toBe(0);
  expect(err).toBe('');
  const lines = out.trim().split('\n').map((l) => JSON.parse(l));
  expect(lines.filter((e) => e.type === 'stats').length).toBeGreaterThanOrEqual(2);
  expect(lines.filter((e) => e.type === 'oom')).toEqual([{ type: 'oom', id: 'kit-oci-ev' }]);
  expect(readFileSync(join('/sys/fs/cgroup/memory', parent, 'ev', 'memory.oom_control'), 'utf8')).toMatch(/^oom_kill 1$/m);
  expect(runtime(['state', 'kit-oci-ev']).stdout).toMatch(/"status":"stopped"/);
  const gone = runtime(['events', '--stats', 'kit-oci-ev']);
  expect(gone.stderr).toBe('kit-runtime: container "kit-oci-ev" is stopped; events needs a container that is created, running or paused\n');
  expect(runtime(['delete', 'kit-oci-ev']).status).toBe(0);
});
