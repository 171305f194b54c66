import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { resourcesFromFlags } from '../../bin/flags/cgroups';
import { KitError, runContainer, SyscallError } from '../../core';
import { CLONE, SIG } from '../../core/linux';
import { kitPaths } from '../../core/paths';
import { defaultSpec, type ContainerSpec } from '../../core/spec';
import { fakeCgroupV2Host } from '../support/cgroup-fixture';
import { FakeNative, type NativeCall } from '../support/fake-native';
import { tempKitRoot } from '../support/kit';

/**
 * The engine against the recording double: every host change goes through
 * the journal, undo written first, and a failure at any call undoes what was
 * done before it, newest first. No root, no syscall: the fake answers.
 */
let cgroups: ReturnType<typeof fakeCgroupV2Host>;
let kr: ReturnType<typeof tempKitRoot>;
beforeEach(() => {
  cgroups = fakeCgroupV2Host();
  kr = tempKitRoot();
});
afterEach(() => {
  cgroups.restore();
  kr.cleanup();
});

const spec: ContainerSpec = { ...defaultSpec(['/bin/true']), resources: resourcesFromFlags({ 'cpu-quota': '50000', memory: '64m' }) };
const show = (c: NativeCall) => `${c.name} ${c.args.map((a) => JSON.stringify(a)).join(' ')}`;

async function runFailing(fake: FakeNative): Promise<unknown> {
  const paths = kitPaths({ KIT_ROOT: kr.root });
  const error = await runContainer(spec, { paths, native: fake.addon, stdio: 'capture' }).then(
    () => undefined,
    (err: unknown) => err,
  );
  // Whatever failed, nothing of the container is left: no state dir, no journal.
  const containers = join(paths.state, 'containers');
  expect(existsSync(containers) ? readdirSync(containers) : []).toEqual([]);
  return error;
}

test('clone fails: the cgroup kit made for --cpu-quota 50000 --memory 64m is removed, child before parent', async () => {
  const fake = FakeNative.failingAt(1, 'EPERM', ['spawn']);
  const error = await runFailing(fake);
  expect(error).toBeInstanceOf(SyscallError);
  expect((error as SyscallError).event).toMatchObject({ syscall: 'clone', errno: 'EPERM' });
  const root = cgroups.root;
  const dir = fake.calls.find((c) => c.name === 'mkdir' && String(c.args[0]).startsWith(`${root}/kit/`))!.args[0] as string;
  const changes = fake.calls.filter((c) => ['mkdir', 'rmdir', 'writeFile', 'spawn'].includes(c.name)).map(show);
  const { NEWNS, NEWUTS, NEWIPC, NEWPID } = CLONE;
  const spawn = fake.calls.find((c) => c.name === 'spawn')!;
  expect(spawn.args[0]).toBe(NEWNS | NEWUTS | NEWIPC | NEWPID | SIG.CHLD);
  expect(changes).toEqual([
    `mkdir "${root}/kit" 493`,
    `writeFile "${root}/kit/cgroup.subtree_control" "+cpu +io +memory +pids"`,
    `mkdir "${dir}" 493`,
    `writeFile "${dir}/cpu.max" "50000 100000"`,
    `writeFile "${dir}/memory.max" "67108864"`,
    show(spawn),
    `rmdir "${dir}"`,
    `rmdir "${root}/kit"`,
  ]);
});

test('a failure injected at call N undoes everything made before it, newest first', async () => {
  // A clean run up to clone, to count the calls the prepare steps make.
  const probe = FakeNative.failingAt(1, 'EPERM', ['spawn']);
  await runFailing(probe);
  const total = probe.calls.findIndex((c) => c.name === 'spawn') + 1;
  expect(total).toBeGreaterThan(5);
  const undone: number[] = [];
  for (let n = 1; n <= total; n++) {
    const fake = FakeNative.failingAt(n, 'EIO');
    const error = await runFailing(fake);
    expect(error).toBeInstanceOf(KitError); // a SyscallError, or what the failed call meant (no channel to the container)
    const failedAt = n - 1;
    const made = fake.calls.slice(0, failedAt).filter((c) => c.name === 'mkdir').map((c) => c.args[0]);
    const removed = fake.calls.slice(failedAt + 1).filter((c) => c.name === 'rmdir').map((c) => c.args[0]);
    // Every directory made before the failure is removed after it, in reverse;
    // the undo of the change that failed (journaled before it was tried) may
    // come first, tolerating that it never happened.
    expect(removed.filter((path) => made.includes(path))).toEqual([...made].reverse());
    expect(fake.calls.slice(0, failedAt).some((c) => c.name === 'rmdir')).toBe(false);
    undone.push(made.length);
  }
  // the kit/ parent is made and prepared first, then the container's own dir; channels and clone follow
  const ownDir = probe.calls.findIndex((c, i) => c.name === 'mkdir' && i > 0) + 1;
  expect(undone).toEqual([0, ...Array(ownDir - 1).fill(1), ...Array(total - ownDir).fill(2)]);
});
