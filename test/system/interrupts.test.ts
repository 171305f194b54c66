import { readFileSync } from 'node:fs';
import { runContainer, KitError, type ContainerSpec } from '../../core';
import * as native from '../../core/native';
import { kitPaths } from '../../core/paths';
import type { TraceEvent } from '../../core/trace/event';
import { alive, eventually, hostSnapshot, openFdCount, requireRoot, tempKitRoot, zombieChildren } from '../support/kit';
import { nativeError } from '../support/native-error';

/** The error paths of one container run: whatever fails, nothing is left behind. */
requireRoot();
const kr = tempKitRoot();
const paths = kitPaths({ KIT_ROOT: kr.root });
const sleeper: ContainerSpec = { command: ['sleep', '30'], env: ['PATH=/bin:/usr/bin'], namespaces: ['pid', 'mount'] };
let fdsBefore = 0;

beforeAll(async () => {
  await runContainer({ ...sleeper, command: ['true'] }, { paths }); // load the addon once
});
beforeEach(() => (fdsBefore = openFdCount()));
afterEach(() => {
  jest.restoreAllMocks();
  expect(openFdCount()).toBe(fdsBefore);
  expect(hostSnapshot(kr.root).containers).toEqual([]);
  expect(zombieChildren()).toEqual([]);
});
afterAll(() => kr.cleanup());

/** The SIGINT handler runContainer installs, to call it without signalling the jest worker. */
function newSigintHandler(before: Function[]): Function {
  const added = process.listeners('SIGINT').filter((l) => !before.includes(l));
  expect(added).toHaveLength(1);
  return added[0];
}

test('Ctrl-C before clone: no container is started, exit code 130, nothing left', async () => {
  const events: TraceEvent[] = [];
  const listeners = process.listeners('SIGINT');
  const run = runContainer(sleeper, { paths, onEvent: (e) => events.push(e) });
  newSigintHandler(listeners)('SIGINT'); // arrives while the prepare steps run
  const err = await run.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(KitError);
  expect((err as KitError).exitCode).toBe(130);
  expect(events.map((e) => e.syscall)).not.toContain('clone');
});

test('Ctrl-C while the container runs: it is killed and reaped, exit code 130', async () => {
  const listeners = process.listeners('SIGINT');
  let pid = 0;
  const run = runContainer(sleeper, { paths, beforeRelease: async (p) => void (pid = p) });
  await eventually(() => pid > 0 && readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('sleep'));
  newSigintHandler(listeners)('SIGINT');
  const err = await run.catch((e: unknown) => e);
  expect((err as KitError).exitCode).toBe(130);
  expect(alive(pid)).toBe(false);
});

// beforeRelease fails like an attach step (the container waits, unreleased);
// whileRunning fails while the command runs.
test.each(['beforeRelease', 'whileRunning'] as const)('a failing %s hook: its error reaches the caller, the container is stopped and reaped', async (hook) => {
  let pid = 0;
  const failing = async (p: number) => {
    pid = p;
    throw new Error(`${hook} failed`);
  };
  await expect(runContainer(sleeper, { paths, [hook]: failing })).rejects.toThrow(`${hook} failed`);
  expect(pid).toBeGreaterThan(1);
  expect(alive(pid)).toBe(false);
});

test('kit-init missing: one KitError, the channels opened for the container are closed again', async () => {
  jest.spyOn(native, 'initPath').mockImplementation(() => {
    throw new KitError('kit-init is missing (/x/kit-init)', 'run `npm install`');
  });
  await expect(runContainer(sleeper, { paths })).rejects.toThrow('kit-init is missing');
});

test('a channel that cannot be opened (EMFILE) closes the ones already open', async () => {
  const addon = native.native();
  const realPipe = addon.pipe.bind(addon);
  let pipes = 0;
  jest.spyOn(addon, 'pipe').mockImplementation(() => {
    if (++pipes === 2) throw nativeError('pipe2', 'EMFILE', 24, 'Too many open files');
    return realPipe();
  });
  await expect(runContainer(sleeper, { paths })).rejects.toThrow('could not create a channel to the container (errno 24)');
});

test('whileRunning: when the hook settles, a still running container is stopped', async () => {
  const r = await runContainer(sleeper, { paths, whileRunning: () => new Promise((resolve) => setTimeout(resolve, 200)) });
  expect(r.signal).toBe('SIGKILL'); // sleep itself would have exited 0
});
