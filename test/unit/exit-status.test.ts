import { decodeStatus } from '../../core/engine/exit-status';

test.each([
  [0, { exitCode: 0, signal: null }],
  [1 << 8, { exitCode: 1, signal: null }],
  [127 << 8, { exitCode: 127, signal: null }],
  [255 << 8, { exitCode: 255, signal: null }],
  [9, { exitCode: null, signal: 'SIGKILL' }],
  [15, { exitCode: null, signal: 'SIGTERM' }],
  [11 | 0x80, { exitCode: null, signal: 'SIGSEGV' }], // killed, with a core dump
  [34, { exitCode: null, signal: 'signal 34' }],
])('wait status %i decodes to %j', (status, expected) => {
  expect(decodeStatus(status)).toEqual(expected);
});
