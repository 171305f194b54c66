import { hostMessageQueueDemo } from '../../core';
import type { Lab } from '../lab';
import { observeNamespaces, ownNamespace, WAIT } from '../common';
import { inNamespaces, readText } from '../observe';
import { describeClone } from '../trace';

/** Keys of the System V message queues /proc/sysvipc/msg lists (of the reader's IPC namespace). */
function queueKeys(text: string | undefined): string[] {
  return (text ?? '').split('\n').slice(1).map((l) => l.trim().split(/\s+/)[0]).filter(Boolean);
}

const lab: Lab = {
  id: 'ipc',
  order: 30,
  title: 'IPC namespace: message queues of its own',
  chapter: 'ipc',
  command: WAIT,
  setup: () => ({ given: {}, part: hostMessageQueueDemo() }),
  observe: (pid) => ({
    ...observeNamespaces(pid, ['ipc']),
    hostQueues: queueKeys(readText('/proc/sysvipc/msg')),
    insideQueues: queueKeys(inNamespaces(pid, ['-i'], ['cat', '/proc/sysvipc/msg'])),
  }),
  hints: [
    'A new IPC namespace: `cloneFlags: CLONE.NEWIPC`. Message queues, semaphores and shared memory live in it.',
    'Only the IPC namespace hides them: CLONE.NEWUTS, CLONE.NEWNS and the others do not.',
  ],
  checks: [
    ownNamespace('ipc', 'CLONE_NEWIPC', 0),
    {
      name: 'the message queue the lab made on the host is not visible inside',
      pass: (run) => Array.isArray(run.seen.insideQueues) && (run.seen.hostQueues as string[]).length > 0 && !(run.seen.hostQueues as string[]).some((k) => (run.seen.insideQueues as string[]).includes(k)),
      diagnose: (run) => `the host's queues are visible inside: ${describeClone(run.trace)}, so it shares the host's IPC namespace`,
      hint: 1,
    },
  ],
};

export default lab;
