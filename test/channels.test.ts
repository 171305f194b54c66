import { readdirSync } from 'node:fs';
import { openChannels } from '../core/engine/channels';
import { TraceRecorder } from '../core/trace/recorder';

const openFds = () => readdirSync('/proc/self/fd').length;

test('a log file that cannot be opened leaves no channel fd behind', () => {
  const before = openFds();
  const logs = { stdout: '/nonexistent-kit-dir/out.log', stderr: '/nonexistent-kit-dir/err.log' };
  expect(() => openChannels(new TraceRecorder(), logs)).toThrow(/ENOENT/);
  expect(openFds()).toBe(before);
});
