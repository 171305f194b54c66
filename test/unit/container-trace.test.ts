import { ContainerTrace } from '../../core/engine/container-trace';
import type { ContainerStep } from '../../core/plan';
import type { TraceEvent } from '../../core/trace/event';

const steps: ContainerStep[] = [
  { op: 'sethostname', name: 'box', why: 'name the box' },
  { op: 'exec', path: '/bin/true', argv: ['true'], env: [], why: 'run the command' },
];

function event(syscall: string, step: number | null, extra: Partial<TraceEvent> = {}): TraceEvent {
  return { syscall, args: [], ret: 0, errno: null, errnoMessage: null, durationUs: 1, side: 'container', step, pending: false, ...extra };
}
const line = (e: TraceEvent) => JSON.stringify(e) + '\n';

function collect() {
  const emitted: TraceEvent[] = [];
  return { emitted, trace: new ContainerTrace(steps, (e) => emitted.push(e)) };
}

test('events get the why of their plan step, or of kit-init itself', () => {
  const { emitted, trace } = collect();
  trace.push(line(event('read', null)) + line(event('sethostname', 0)));
  expect(emitted.map((e) => e.why)).toEqual([expect.stringContaining('handshake'), 'name the box']);
});

test('lines split across chunks are joined before parsing', () => {
  const { emitted, trace } = collect();
  const text = line(event('sethostname', 0));
  trace.push(text.slice(0, 10));
  expect(emitted).toHaveLength(0);
  trace.push(text.slice(10));
  expect(emitted.map((e) => e.syscall)).toEqual(['sethostname']);
});

test('a pending execve is held back, then settled as a success when the socket closes', () => {
  const { emitted, trace } = collect();
  trace.push(line(event('execve', 1, { pending: true })));
  expect(emitted).toHaveLength(0);
  trace.end();
  expect(emitted).toEqual([expect.objectContaining({ syscall: 'execve', pending: false, ret: 0, why: 'run the command' })]);
});

test("a pending execve followed by its failure shows only the failure", () => {
  const { emitted, trace } = collect();
  trace.push(line(event('execve', 1, { pending: true })));
  trace.push(line(event('execve', 1, { ret: -1, errno: 'ENOENT', errnoMessage: 'No such file or directory' })));
  trace.end();
  expect(emitted).toEqual([expect.objectContaining({ syscall: 'execve', errno: 'ENOENT', pending: false })]);
  expect(trace.events).toEqual(emitted);
});

test('a pending execve followed by another call was a success (kit-init exec, then its own calls)', () => {
  const { emitted, trace } = collect();
  trace.push(line(event('execve', null, { pending: true })) + line(event('read', null)));
  expect(emitted.map((e) => [e.syscall, e.pending, e.errno])).toEqual([['execve', false, null], ['read', false, null]]);
});

test("a step's hint for one errno is not given for another: an EACCES execve gets the generic hint, not the ENOENT one", () => {
  const emitted: TraceEvent[] = [];
  const exec: ContainerStep = { op: 'exec', path: '/etc/passwd', argv: ['/etc/passwd'], env: [], why: 'run the command', hint: 'no such file in the image', hintErrno: 'ENOENT' };
  const trace = new ContainerTrace([exec], (e) => emitted.push(e));
  trace.push(line(event('execve', 0, { ret: -1, errno: 'EACCES', errnoMessage: 'Permission denied' })) + line(event('execve', 0, { ret: -1, errno: 'ENOENT', errnoMessage: 'No such file or directory' })));
  expect(emitted.map((e) => e.hint)).toEqual([undefined, 'no such file in the image']);
});
