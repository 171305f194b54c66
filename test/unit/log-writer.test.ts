import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogWriter, readLogEntries } from '../../core/engine/log-file';

/** The json-file log as kit writes it: lines per stream, long lines cut, rotation between lines. */
const dir = mkdtempSync(join(tmpdir(), 'kit-log-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = () => join(dir, `container.log.${n++}`);

test('complete lines now, the rest at its newline or at close; the streams kept apart', () => {
  const f = file();
  const w = new LogWriter(f);
  w.write('stdout', 'one\ntw');
  w.write('stderr', 'err\n');
  expect(readLogEntries(f).map((e) => [e.stream, e.log])).toEqual([['stdout', 'one\n'], ['stderr', 'err\n']]);
  w.write('stdout', 'o\nthree');
  w.close();
  expect(readLogEntries(f).map((e) => [e.stream, e.log])).toEqual([['stdout', 'one\n'], ['stderr', 'err\n'], ['stdout', 'two\n'], ['stdout', 'three']]);
  const first = JSON.parse(readFileSync(f, 'utf8').split('\n')[0]);
  expect(Object.keys(first)).toEqual(['log', 'stream', 'time']); // Docker's key order
  expect(Number.isNaN(Date.parse(first.time))).toBe(false);
});

test('text JSON must escape survives the round trip; a line past 16 KiB is cut into pieces', () => {
  const f = file();
  const w = new LogWriter(f);
  const odd = 'quote " backslash \\ tab \t nul \u0000 \ufffd é\n';
  w.write('stdout', odd + 'x'.repeat(40000) + '\n');
  w.close();
  const logs = readLogEntries(f).map((e) => e.log);
  expect(logs[0]).toBe(odd);
  expect(logs.slice(1).map((l) => l.length)).toEqual([16384, 16384, 40000 - 32768 + 1]);
});

test('past maxBytes the file is rotated between two lines, one old file kept, nothing lost of the last ones', () => {
  const f = file();
  const w = new LogWriter(f, 2000);
  w.write('stdout', Array.from({ length: 100 }, (_, i) => `line ${i}\n`).join(''));
  w.close();
  const entries = readLogEntries(f);
  expect(entries.length).toBeLessThan(100);
  expect(entries[entries.length - 1].log).toBe('line 99\n');
  const logs = entries.map((e) => Number(e.log.slice(5)));
  expect(logs).toEqual(Array.from({ length: logs.length }, (_, i) => 100 - logs.length + i)); // the newest, in order, no gap
  for (const name of [f, `${f}.1`]) expect(readFileSync(name).length).toBeLessThanOrEqual(2000);
});
