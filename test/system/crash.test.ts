import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { cleanKitRoot, containerRunning, eventually, hostSnapshot, kit, kitBackground, running } from '../support/kit';

const kr = cleanKitRoot(); // and the next kit command must have left it clean

test('kill -9 of kit: the container dies with it (PDEATHSIG), the next kit command reaps the state it left', async () => {
  const child = kitBackground(['chapter', 'pid', '--', 'sleep', '30'], kr.env);
  const exited = new Promise((resolve) => child.on('exit', resolve));
  let pid = 0;
  await eventually(() => (pid = containerRunning(kr.root, 'sleep')?.pid ?? 0) > 0);
  child.kill('SIGKILL');
  await exited;
  await eventually(() => !running(pid));
  expect(hostSnapshot(kr.root).containers).toHaveLength(1); // kit had no chance to clean up
  const next = kit(['chapter', 'host'], kr.env);
  expect(next.status).toBe(0);
  expect(hostSnapshot(kr.root).containers).toEqual([]);
});

test('kill -9 in the middle of `kit rm` (overlay2): the container is gone from `kit ps -a`, and the next kit command deletes the files the killed one was deleting', async () => {
  const name = `crash-rm-${process.pid}`;
  // A container layer of many files, so that deleting it takes a while.
  const made = kit(['run', '--name', name, '--storage-driver', 'overlay2', '--network', 'none', 'base', 'sh', '-c', 'mkdir /many && cd /many && seq 1 100000 | xargs touch'], kr.env);
  expect(made.status).toBe(0);
  const containers = join(kr.root, 'data', 'containers');
  const [id] = readdirSync(containers);
  expect(readdirSync(join(containers, id, 'diff', 'many')).length).toBe(100000);
  const child = kitBackground(['rm', name], kr.env);
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  let removing: string | undefined;
  await eventually(() => (removing = readdirSync(containers).find((n) => n.startsWith(`.${id}.removing-`))) !== undefined);
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  expect(existsSync(join(containers, removing!, 'diff'))).toBe(true); // killed halfway: part of it is still on disk
  expect(hostSnapshot(kr.root).mounts).toEqual([]);
  const ps = kit(['ps', '-a'], kr.env);
  expect(ps.status).toBe(0);
  expect(ps.stdout).not.toContain(name);
  expect(readdirSync(containers)).toEqual([]);
  expect(kit(['rm', name], kr.env).stderr).toMatch(/no such container/);
});
