import { Worker } from 'node:worker_threads';
import { runContainer, type ContainerSpec } from '../../core';
import { kitPaths } from '../../core/paths';
import { hostSnapshot, openFdCount, requireRoot, tempKitRoot, zombieChildren } from '../support/kit';

/**
 * Node is multi-threaded: a clone() child that touched malloc or a lock held
 * by another thread would hang or crash. Worker threads allocate the whole
 * time (so such locks are busy) while kit starts containers one after another.
 */
requireRoot();
const kr = tempKitRoot();
afterAll(() => kr.cleanup());

const RUNS = 500;
const ALLOCATORS = 2;
const spec: ContainerSpec = { command: ['/bin/true'], env: [], namespaces: ['pid', 'mount', 'uts'] };

const ALLOCATE = `
const { parentPort } = require('node:worker_threads');
let stop = false, rounds = 0;
parentPort.on('message', () => { stop = true; });
(function churn() {
  for (let i = 0; i < 2000; i++) { const b = Buffer.alloc(64 + (i % 64) * 64); b[0] = i; JSON.stringify({ i, s: 'x'.repeat(i % 100) }); }
  rounds++;
  if (stop) parentPort.postMessage(rounds); else setImmediate(churn);
})();
`;

test(`${RUNS} containers in a row while ${ALLOCATORS} worker threads allocate: all exit 0, no zombie, no fd leak`, async () => {
  const paths = kitPaths({ KIT_ROOT: kr.root });
  await runContainer(spec, { paths }); // warm up: the addon and lazily opened fds load once
  const fdsBefore = openFdCount();
  const exits: Array<number | null> = [];
  const workers = Array.from({ length: ALLOCATORS }, () => new Worker(ALLOCATE, { eval: true }));
  try {
    for (let i = 0; i < RUNS; i++) exits.push((await runContainer(spec, { paths })).exitCode);
  } finally {
    const rounds = await Promise.all(workers.map((w) => new Promise<number>((resolve) => { w.once('message', resolve); w.postMessage('stop'); })));
    await Promise.all(workers.map((w) => w.terminate()));
    // The workers really ran alongside: each completed many allocation rounds.
    for (const r of rounds) expect(r).toBeGreaterThan(10);
  }
  expect(exits.filter((e) => e !== 0)).toEqual([]);
  expect(exits).toHaveLength(RUNS);
  expect(zombieChildren()).toEqual([]);
  expect(openFdCount()).toBe(fdsBefore);
  expect(hostSnapshot(kr.root).containers).toEqual([]);
}, 240_000);
