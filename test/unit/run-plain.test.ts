import { PlainRunPrinter, type PlainOutput } from '../../bin/render/run-plain';
import type { TraceEvent } from '../../core';

const event = (syscall: string): TraceEvent => ({ syscall, args: ['"x"'], ret: 0, errno: null, errnoMessage: null, durationUs: 1, side: 'container', step: 0, pending: false });

function recorder(): { out: PlainOutput; writes: Array<[string, string]> } {
  const writes: Array<[string, string]> = [];
  return { writes, out: { stdout: (text) => writes.push(['stdout', text]), stderr: (text) => writes.push(['stderr', text]) } };
}

test('--trace: a burst of events is one write in the next turn of the event loop, and output printed meanwhile comes after the lines before it', async () => {
  const { out, writes } = recorder();
  const printer = new PlainRunPrinter({ trace: true, width: Infinity }, out);
  for (const name of ['mount', 'chdir', 'pivot_root']) printer.feed({ type: 'trace', event: event(name) });
  expect(writes).toEqual([]); // held until the burst ends
  printer.feed({ type: 'output', stream: 'stdout', text: 'hello\n' });
  expect(writes.map(([stream, text]) => [stream, text.split('\n').filter(Boolean).map((l) => l.split('(')[0])])).toEqual([
    ['stderr', ['[ctr ] mount', '[ctr ] chdir', '[ctr ] pivot_root']],
    ['stdout', ['hello']],
  ]);
  printer.feed({ type: 'trace', event: event('execve') });
  await Promise.resolve();
  expect(writes).toHaveLength(2); // not rendered in the engine's own turn...
  await new Promise(setImmediate); // ...but in the event loop's next: its line is written without any other record
  expect(writes).toHaveLength(3);
  expect(writes[2][1]).toMatch(/^\[ctr \] execve\("x"\) = 0\n$/);
});

test('without --trace the events print nothing', async () => {
  const { out, writes } = recorder();
  const printer = new PlainRunPrinter({ trace: false, width: Infinity }, out);
  printer.feed({ type: 'trace', event: event('mount') });
  await new Promise(setImmediate);
  expect(writes).toEqual([]);
});
