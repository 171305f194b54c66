import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/**
 * The guest's jest results (test/guest/cases, run inside a cgroup v2-only
 * qemu guest with dm-thin-pool by global-setup.js) as host tests: one host
 * test per guest test, failing with the guest's own failure message. A guest
 * that did not boot, a case file that did not run or did not finish (the
 * run's timeout) is a failure too, never an empty pass.
 */
type Record =
  | { file: string; fullName: string; status: string; failureMessages: string[]; duration?: number }
  | { file: string; done: true; message: string; tests: number };

const out = process.env.KIT_GUEST_OUT ?? '';
const tail = (file: string) => (existsSync(join(out, file)) ? readFileSync(join(out, file), 'utf8').split('\n').slice(-40).join('\n') : `(no ${file})`);
const lines = out && existsSync(join(out, 'results.jsonl')) ? readFileSync(join(out, 'results.jsonl'), 'utf8').split('\n').filter(Boolean) : [];
const records = lines.map((l) => JSON.parse(l) as Record);
const cases = readdirSync(join(__dirname, 'cases')).filter((f) => f.endsWith('.test.ts')).sort();
const logs = () => `run dir: ${out || 'none'}\n--- console ---\n${tail('console.log')}\n--- run.log ---\n${tail('run.log')}`;

test('the guest booted and its jest run ended (status written, no timeout)', () => {
  if (!out || !existsSync(join(out, 'status'))) throw new Error(`the guest run did not finish\n${logs()}`);
});

for (const file of cases) {
  describe(`in the guest: ${file}`, () => {
    const mine = records.filter((r) => basename(r.file) === file);
    test('the file ran to its end', () => {
      const done = mine.find((r): r is Extract<Record, { done: true }> => 'done' in r);
      if (!done) throw new Error(`${file} did not finish in the guest\n${logs()}`);
      if (done.tests === 0) throw new Error(`${file} did not run in the guest:\n${done.message}`);
    });
    for (const r of mine) {
      if ('done' in r) continue;
      const run = r.status === 'pending' || r.status === 'skipped' ? test.skip : test;
      run(r.fullName, () => {
        if (r.status !== 'passed') throw new Error(`failed in the guest:\n${r.failureMessages.join('\n')}`);
      });
    }
  });
}
