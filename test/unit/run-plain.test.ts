import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PlainRunPrinter, TRACE_WRITE_MS, type PlainOutput } from '../../bin/render/run-plain';
import type { TraceEvent } from '../../core';

const event = (syscall: string): TraceEvent => ({ syscall, args: ['"x"'], ret: 0, errno: null, errnoMessage: null, durationUs: 1, side: 'container', step: 0, pending: false });

function recorder(): { out: PlainOutput; writes: Array<[string, string]> } {
  const writes: Array<[string, string]> = [];
  return { writes, out: { stdout: (text) => writes.push(['stdout', text]), stderr: (text) => writes.push(['stderr', text]) } };
}

test('--trace: the events of TRACE_WRITE_MS are one write, and output printed meanwhile comes after the lines before it', () => {
  jest.useFakeTimers();
  const { out, writes } = recorder();
  const printer = new PlainRunPrinter({ trace: true, width: Infinity }, out);
  for (const name of ['mount', 'chdir', 'pivot_root']) printer.feed({ type: 'trace', event: event(name) });
  expect(writes).toEqual([]); // held
  printer.feed({ type: 'output', stream: 'stdout', text: 'hello\n' });
  expect(writes.map(([stream, text]) => [stream, text.split('\n').filter(Boolean).map((l) => l.split('(')[0])])).toEqual([
    ['stderr', ['[ctr ] mount', '[ctr ] chdir', '[ctr ] pivot_root']],
    ['stdout', ['hello']],
  ]);
  try {
    printer.feed({ type: 'trace', event: event('execve') });
    jest.advanceTimersByTime(TRACE_WRITE_MS - 1);
    printer.feed({ type: 'trace', event: event('exit_group') }); // later, within the time: the same write
    expect(writes).toHaveLength(2);
    jest.advanceTimersByTime(1); // written without any other record
    expect(writes).toHaveLength(3);
    expect(writes[2][1]).toBe('[ctr ] execve("x") = 0\n[ctr ] exit_group("x") = 0\n');
  } finally {
    jest.useRealTimers();
  }
});

test('--trace: lines held when kit exits are written, whether it ends by itself or calls process.exit', () => {
  // The built printer (npm run build), in a process of its own that ends with lines held.
  const printer = join(__dirname, '..', '..', 'dist', 'bin', 'render', 'run-plain.js');
  for (const end of ['', 'process.exit(3)']) {
    const script = `const { PlainRunPrinter } = require(${JSON.stringify(printer)});
      const p = new PlainRunPrinter({ trace: true, width: Infinity }, { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) });
      p.feed({ type: 'trace', event: ${JSON.stringify(event('mount'))} });
      ${end}`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect({ end, stderr: r.stderr, status: r.status }).toEqual({ end, stderr: '[ctr ] mount("x") = 0\n', status: end ? 3 : 0 });
  }
});

test('without --trace the events print nothing', async () => {
  const { out, writes } = recorder();
  const printer = new PlainRunPrinter({ trace: false, width: Infinity }, out);
  printer.feed({ type: 'trace', event: event('mount') });
  await new Promise(setImmediate);
  expect(writes).toEqual([]);
});
