import { openChannels } from '../../core/engine/channels';
import { TraceRecorder } from '../../core/trace/recorder';
import { openFdCount } from '../support/kit';

test('a log file that cannot be opened leaves no channel fd behind', () => {
  const before = openFdCount();
  const logs = { stdout: '/nonexistent-kit-dir/out.log', stderr: '/nonexistent-kit-dir/err.log' };
  expect(() => openChannels(new TraceRecorder(), logs)).toThrow(/ENOENT/);
  expect(openFdCount()).toBe(before);
});
