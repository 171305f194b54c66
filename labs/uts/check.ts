import type { Lab } from '../lab';
import { ownNamespace, observeNamespaces, WAIT } from '../common';
import { inNamespaces } from '../observe';
import { calls, failedCall, show } from '../trace';

const lab: Lab = {
  id: 'uts',
  order: 10,
  title: 'UTS namespace: a hostname of its own',
  chapter: 'uts',
  command: WAIT,
  setup: () => ({ given: { hostname: 'kit-lab' }, part: {} }),
  observe: (pid) => ({ ...observeNamespaces(pid, ['uts']), hostname: inNamespaces(pid, ['-u'], ['hostname'])?.trim() }),
  hints: [
    'Give clone() the flag for a new UTS namespace: `cloneFlags: CLONE.NEWUTS` (import { CLONE } from \'kit\').',
    "Add a container step that sets the name inside: `container: [{ op: 'sethostname', name: given.hostname, why: '...' }]`.",
  ],
  checks: [
    ownNamespace('uts', 'CLONE_NEWUTS', 0),
    {
      name: 'its hostname, seen through its UTS namespace, is given.hostname',
      pass: (run) => run.seen.hostname === run.given.hostname,
      diagnose: (run) => {
        const failed = failedCall(run.trace, 'sethostname');
        if (failed) return `${show(failed)} inside the container`;
        if (!calls(run.trace, 'sethostname').length) return `no sethostname in the trace: inside, the name is still the host's (${String(run.seen.hostname)})`;
        return `inside, the hostname is ${String(run.seen.hostname)}`;
      },
      hint: 1,
    },
    { name: "the host keeps its own hostname", pass: (run) => run.seen.hostHostname !== run.given.hostname, hint: 0 },
  ],
};

export default lab;
