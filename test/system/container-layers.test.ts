import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, hostSnapshot, kit, kitJson, requireRoot, tempKitRoot } from '../support/kit';

requireRoot();
const kr = tempKitRoot();
const before = hostSnapshot(kr.root);
afterAll(() => {
  for (const id of layerIds()) kit(['rm', '-f', id], kr.env); // what a failed test left
  expect(hostSnapshot(kr.root)).toEqual(before); // no overlay mount, no state left
  kr.cleanup();
});

const layersDir = join(kr.root, 'data', 'containers');
const layerIds = () => (existsSync(layersDir) ? readdirSync(layersDir) : []);
const overlayMounts = () => readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.includes(kr.root) && l.includes(' - overlay '));

test('kit run -d --name keeps the container layer: diff and commit by name while it runs and after it exits; kit rm removes it', async () => {
  const name = `keep${process.pid}`;
  const started = kit(['run', '-d', '--name', name, 'base', 'sh', '-c', 'echo hi > /new; sleep 30'], kr.env);
  expect(started.status).toBe(0);
  const id = started.stdout.trim();
  expect(layerIds()).toEqual([id]);
  expect(kit(['run', '-d', '--name', name, 'base', 'true'], kr.env).stderr).toMatch(new RegExp(`did not start: the name "${name}" is already in use by container ${id};`));
  expect(layerIds()).toEqual([id]); // the refused one made no layer

  // while it runs: its upper dir is read through the name
  await eventually(() => kit(['diff', name], kr.env).stdout.split('\n').includes('A /new'));
  expect(kitJson<{ name: string }>(['commit', name, `img${process.pid}`], kr.env).name).toBe(`img${process.pid}`);
  const fromCommit = kit(['run', `img${process.pid}`, 'cat', '/new'], kr.env);
  expect(fromCommit).toMatchObject({ status: 0, stdout: 'hi\n' });

  // the name is the stopped container's until kit rm, as with Docker
  expect(kit(['stop', '-t', '0', name], kr.env).status).toBe(0);
  expect(overlayMounts()).toEqual([]); // unmounted when it ended...
  expect(layerIds()).toEqual([id]); // ...and its layer kept
  expect(kit(['diff', name], kr.env).stdout.split('\n')).toContain('A /new');
  // exec needs it running: it says it exited, not that it does not exist
  const exec = kit(['exec', name, 'true'], kr.env);
  expect(exec.status).toBe(1);
  expect(exec.stderr.trim()).toBe(`kit: container ${name} (${id}) is not running; it has exited: kit start ${name} runs it again; kit logs, inspect, diff, commit and rm still take it`);
  expect(kit(['run', '--name', name, 'base', 'true'], kr.env).stderr).toMatch(new RegExp(`^kit: the name "${name}" is already in use by stopped container ${id}; remove it \\(kit rm ${name}\\)`));

  expect(kit(['rm', '-f', name], kr.env)).toMatchObject({ status: 0 });
  expect(layerIds()).toEqual([]);
  expect(kit(['diff', name], kr.env).stderr).toMatch(new RegExp(`^kit: no container '${name}' with a layer`));
  expect(kit(['rm', name], kr.env).stderr).toMatch(new RegExp(`^kit: no such container: ${name}`));
});

test('kit rm -f of a running named container kills it and removes its layer; no overlay mount left', () => {
  const name = `rmf${process.pid}`;
  expect(kit(['run', '-d', '--name', name, 'base', 'sleep', '30'], kr.env).status).toBe(0);
  expect(overlayMounts()).toHaveLength(1);
  expect(kit(['rm', name], kr.env).stderr).toMatch(/is running; stop it first/);
  expect(kit(['rm', '-f', name], kr.env).status).toBe(0);
  expect(overlayMounts()).toEqual([]);
  expect(layerIds()).toEqual([]);
});

test('a plain foreground kit run (no -d, no --name) removes its layer when it ends, like --rm', () => {
  expect(kit(['run', 'base', 'sh', '-c', 'echo x > /x'], kr.env).status).toBe(0);
  expect(layerIds()).toEqual([]);
});

