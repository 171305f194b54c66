import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { defaultOciConfig } from '../../../dist/core';
import { guestKitRoot } from './guest-kit';

/**
 * kit-runtime on a cgroup v2-only kernel: the config's cgroup mount is a
 * cgroup2 mount inside the container's cgroup namespace (it sees its own
 * cgroup as /sys/fs/cgroup), and blockIO throttles, `update` and `events`
 * use the v2 files (io.max, memory.max, pids.max, cpu.max).
 */
const kr = guestKitRoot();
const RUNTIME = resolve(__dirname, '../../../bin/kit-runtime.js');
const parent = `kit-oci-v2-${process.pid}`;
const dir = join('/sys/fs/cgroup', parent, 'c');
const MiB = 1024 * 1024;
afterAll(() => {
  runtime(['delete', '--force', 'kit-oci-v2']);
  spawnSync('rmdir', [join('/sys/fs/cgroup', parent)]); // the cgroupsPath's parent is the caller's: this test's
  kr.cleanup();
});

/** kit-runtime under emulation: each call takes seconds. */
function runtime(args: string[], input?: string) {
  const start = Date.now();
  const r = spawnSync(process.execPath, [RUNTIME, '--root', kr.root, ...args], { encoding: 'utf8', env: kr.env, timeout: 240_000, input });
  process.stderr.write(`  $ kit-runtime ${args.join(' ')}: exit ${r.status ?? r.signal} in ${Math.round((Date.now() - start) / 1000)} s\n`);
  return r;
}

test('a kit-runtime bundle on cgroup v2: its cgroup mount shows its own cgroup (cgroupns), io.max holds its throttle, update and events use the v2 files', async () => {
  const image = join(kr.root, 'disk.img');
  writeFileSync(image, '');
  truncateSync(image, 16 * MiB);
  const loop = execFileSync('losetup', ['--find', '--show', image], { encoding: 'utf8' }).trim();
  try {
    const dev = readFileSync(join('/sys/block', basename(loop), 'dev'), 'utf8').trim();
    const [major, minor] = dev.split(':').map(Number);
    const bundle = join(kr.root, 'bundle');
    mkdirSync(join(bundle, 'rootfs', 'bin'), { recursive: true });
    copyFileSync('/bin/busybox', join(bundle, 'rootfs', 'bin', 'busybox'));
    for (const applet of ['sh', 'cat', 'sleep']) spawnSync('ln', ['-s', 'busybox', join(bundle, 'rootfs', 'bin', applet)]);
    const config = JSON.parse(JSON.stringify(defaultOciConfig()));
    config.process.terminal = false;
    config.process.args = ['sh', '-c', 'cat /proc/self/cgroup /sys/fs/cgroup/memory.max /sys/fs/cgroup/pids.max; echo end; exec sleep 600'];
    config.linux.cgroupsPath = `/${parent}/c`;
    config.linux.resources = { memory: { limit: 64 * MiB }, pids: { limit: 50 }, blockIO: { throttleReadBpsDevice: [{ major, minor, rate: MiB }], throttleWriteIOPSDevice: [{ major, minor, rate: 100 }] } };
    // runc spec's cgroup mount, and a cgroup namespace for it to show the container's own cgroup
    config.mounts.push({ destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['nosuid', 'noexec', 'nodev', 'relatime', 'ro'] });
    if (!config.linux.namespaces.some((n: { type: string }) => n.type === 'cgroup')) config.linux.namespaces.push({ type: 'cgroup' });
    writeFileSync(join(bundle, 'config.json'), JSON.stringify(config));

    const output = join(kr.root, 'out');
    const fd = openSync(output, 'w');
    const create = spawnSync(process.execPath, [RUNTIME, '--root', kr.root, 'create', '--bundle', bundle, 'kit-oci-v2'], { env: kr.env, stdio: ['ignore', fd, fd], timeout: 240_000 });
    closeSync(fd);
    expect(readFileSync(output, 'utf8')).toBe('');
    expect(create.status).toBe(0);
    expect(readFileSync(join(dir, 'io.max'), 'utf8')).toContain(`${dev} rbps=${MiB} wbps=max riops=max wiops=100`);
    expect(runtime(['start', 'kit-oci-v2']).status).toBe(0);
    for (let i = 0; i < 600 && !readFileSync(output, 'utf8').includes('end'); i++) await new Promise((r) => setTimeout(r, 100));
    // inside: its own cgroup is "/" (cgroup namespace), and /sys/fs/cgroup is that cgroup, with its limits
    expect(readFileSync(output, 'utf8')).toBe(`0::/\n${64 * MiB}\n50\nend\n`);

    const flags = runtime(['update', '--memory', '128m', '--pids-limit', '20', '--cpu-quota', '50000', 'kit-oci-v2']);
    expect(flags.stderr).toBe('');
    expect(readFileSync(join(dir, 'memory.max'), 'utf8').trim()).toBe(String(128 * MiB));
    expect(readFileSync(join(dir, 'pids.max'), 'utf8').trim()).toBe('20');
    expect(readFileSync(join(dir, 'cpu.max'), 'utf8').trim()).toBe('50000 100000');
    const json = runtime(['update', '--resources', '-', 'kit-oci-v2'], JSON.stringify({ blockIO: { throttleReadBpsDevice: [{ major, minor, rate: 2 * MiB }] } }));
    expect(json.stderr).toBe('');
    expect(readFileSync(join(dir, 'io.max'), 'utf8')).toContain(`${dev} rbps=${2 * MiB} wbps=max riops=max wiops=100`);

    const events = runtime(['events', '--stats', 'kit-oci-v2']);
    expect(events.stderr).toBe('');
    const stats = JSON.parse(events.stdout);
    expect(stats).toMatchObject({ type: 'stats', id: 'kit-oci-v2', data: { memory: { usage: { limit: 128 * MiB } }, pids: { current: 1, limit: 20 } } });
    expect(stats.data.cpu.usage.total).toBeGreaterThan(0);

    expect(runtime(['delete', '--force', 'kit-oci-v2']).status).toBe(0);
    expect(existsSync(dir)).toBe(false);
  } finally {
    spawnSync('losetup', ['-d', loop]);
    rmSync(image, { force: true });
  }
});
