import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { httpGet } from '../support/http';
import { join } from 'node:path';
import { alive, cleanKitRoot, containerRunning, eventually, hostSnapshot, kit, kitBackground } from '../support/kit';

/** `kit run` with Docker's flags from every concern: cgroups, network, storage. */
const kr = cleanKitRoot();

/** Start `kit run ARGS` in the background; resolves with the container's id and host pid once its command runs. */
async function started(args: string[], command: string) {
  const child = kitBackground(['run', ...args], kr.env);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let container: { id: string; pid: number } | undefined;
  await eventually(() => (container = containerRunning(kr.root, command)) !== undefined, 30000);
  return { child, exited, ...container! };
}


/** The server inside needs a moment to listen after its process starts: ask until it answers (bounded). */
async function get(port: number, path: string): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await httpGet(port, path, 2000);
    } catch (err) {
      if (attempt >= 20) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

beforeAll(() => expect(kit(['image', 'ls'], kr.env).status).toBe(0)); // builds base once

test('--cpu-quota 50000 --memory 64m: the container\'s cgroup files hold them while it runs, and are gone after', async () => {
  const run = await started(['--cpu-quota', '50000', '--memory', '64m', 'base', 'sleep', '30'], 'sleep');
  const cgroup = join('/sys/fs/cgroup/cpu/kit', run.id);
  try {
    expect(readFileSync(join(cgroup, 'cpu.cfs_quota_us'), 'utf8').trim()).toBe('50000');
    expect(readFileSync(join('/sys/fs/cgroup/memory/kit', run.id, 'memory.limit_in_bytes'), 'utf8').trim()).toBe(String(64 * 1024 * 1024));
    expect(readFileSync(join(cgroup, 'cgroup.procs'), 'utf8').split('\n')).toContain(String(run.pid));
  } finally {
    run.child.kill('SIGTERM');
  }
  expect(await run.exited).toBe(143);
  expect(alive(run.pid)).toBe(false);
  expect(existsSync(cgroup)).toBe(false); // and the shared parent too, when no other kit container uses it
});

test('-p HOST:80: the published port answers on 127.0.0.1 with the container\'s response; the DNAT rule goes with it', async () => {
  const port = 20000 + (process.pid % 20000);
  const run = await started(['-p', `${port}:80`, '--hostname', 'kit-run-web', 'base', 'busybox', 'httpd', '-f', '-p', '80', '-h', '/etc'], 'httpd');
  const rules = () => execFileSync('iptables', ['-w', '-t', 'nat', '-S', 'KIT'], { encoding: 'utf8' });
  try {
    expect(rules()).toContain(`--dport ${port} -m comment --comment "kit:${run.id}" -j DNAT`);
    expect((await get(port, '/hostname')).trim()).toBe('kit-run-web');
  } finally {
    run.child.kill('SIGTERM');
    await run.exited;
  }
  expect(alive(run.pid)).toBe(false);
  let after = '';
  try {
    after = rules();
  } catch {
    after = ''; // the last kit container removed the KIT chain itself
  }
  expect(after).not.toContain(`kit:${run.id}`);
});

test('--network none: only lo inside', () => {
  const r = kit(['run', '--network', 'none', 'base', 'ip', '-o', 'link'], kr.env);
  expect(r.status).toBe(0);
  expect(r.stdout.trim().split('\n').map((l) => l.split(': ')[1])).toEqual(['lo']);
});

test('--network bridge (the default): eth0 on kit0 with /etc/hosts naming the container at its address', () => {
  const r = kit(['run', '--hostname', 'kit-run-net', 'base', 'sh', '-c', 'ip -4 -o addr show eth0; cat /etc/hosts /etc/hostname'], kr.env);
  expect(r.status).toBe(0);
  const address = /inet ([\d.]+)\//.exec(r.stdout)![1];
  expect(r.stdout).toContain(`${address}\tkit-run-net`);
  expect(r.stdout.trim().split('\n').pop()).toBe('kit-run-net');
});

test('--storage-driver vfs runs the same image; a bad driver or flag value is one line and leaves nothing', () => {
  expect(kit(['run', '--storage-driver', 'vfs', '--network', 'none', 'base', 'cat', '/etc/kit-release'], kr.env).status).toBe(0);
  for (const args of [['--storage-driver', 'zfs'], ['--cpu-quota', '10'], ['--memory', '12q'], ['-p', '99999:80']]) {
    const r = kit(['run', ...args, 'base', 'true'], kr.env);
    expect(r.status).toBe(125); // docker run's code for its own errors
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(args[1]);
  }
  expect(hostSnapshot(kr.root).containers).toEqual([]);
});

test('kit run -d --name -p: prints the id, ps lists it, the port answers, exec sees its network, rm -f leaves nothing', async () => {
  const port = 20000 + ((process.pid + 7) % 20000);
  const name = `kit-web-${process.pid}`;
  const started = kit(['run', '-d', '--name', name, '-p', `${port}:80`, 'base', 'busybox', 'httpd', '-f', '-p', '80', '-h', '/etc'], kr.env);
  expect(started.status).toBe(0);
  const id = started.stdout.trim();
  try {
    expect(id).toMatch(/^[0-9a-f]{12,}$/);
    const listed = JSON.parse(kit(['ps', '--json'], kr.env).stdout) as Array<{ id: string; name: string }>;
    expect(listed).toEqual([expect.objectContaining({ id, name })]);
    expect((await get(port, '/hostname')).trim()).toBe(id.slice(0, 12));
    expect(kit(['exec', name, 'ip', '-4', '-o', 'addr', 'show', 'eth0'], kr.env).stdout).toMatch(/inet 172\.|inet 10\.|inet 192\./);
  } finally {
    expect(kit(['rm', '-f', name], kr.env).status).toBe(0);
  }
  expect(JSON.parse(kit(['ps', '--json'], kr.env).stdout)).toEqual([]);
  let rules = '';
  try {
    rules = execFileSync('iptables', ['-w', '-t', 'nat', '-S', 'KIT'], { encoding: 'utf8' });
  } catch {
    rules = ''; // the last kit container removed the chain
  }
  expect(rules).not.toContain(`kit:${id.slice(0, 12)}`);
});
