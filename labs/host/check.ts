import type { Lab } from '../lab';
import { WAIT, observeNamespaces } from '../common';
import { readText, readProc } from '../observe';

const KINDS = ['mnt', 'uts', 'ipc', 'pid', 'net', 'user', 'cgroup'];
export const MARKER_TEXT = 'hello from a host step';

const lab: Lab = {
  id: 'host',
  order: 0,
  title: 'A plain child, and the journal: what a child shares, and how kit changes the host',
  chapter: 'host',
  command: WAIT,
  // A plain fork/exec and a file in /tmp: nothing here needs root, nor a namespace.
  withoutRoot: 'as-is',
  setup: (id) => ({ given: { marker: `/tmp/kit-lab-${id}-marker` }, part: {} }),
  observe: (pid, given) => ({
    ...observeNamespaces(pid, KINDS),
    marker: readText(String(given.marker)),
    parentIsKit: readProc(pid, 'stat')?.split(') ')[1]?.split(' ')[1] === String(process.pid),
  }),
  hints: [
    "Add a prepare step: `prepare: [{ why: '...', run: (ctx) => ... }]`. Host steps run in kit before clone().",
    `Write the file through the journal, undo first: \`ctx.changes.make({ op: 'remove', path: given.marker }, () => writeFileSync(given.marker, '${MARKER_TEXT}'))\`.`,
    'Leave cloneFlags out: this child shares every namespace with the host; later labs add them one at a time.',
  ],
  cleanHint: 1,
  checks: [
    {
      name: `your prepare step made ${'given.marker'} holding "${MARKER_TEXT}" while the child runs`,
      pass: (run) => run.seen.marker === MARKER_TEXT,
      diagnose: (run) => run.error ?? (run.seen.marker === undefined ? 'no file at given.marker while the child ran: no prepare step wrote it' : `given.marker holds "${String(run.seen.marker)}"`),
      hint: 0,
    },
    {
      name: 'the child shares every namespace with the host (a plain fork/exec)',
      pass: (run) => Object.values((run.seen.namespaces as Record<string, boolean>) ?? { x: true }).every((d) => d === false),
      diagnose: (run) => `these differ from the host's: ${Object.entries(run.seen.namespaces ?? {}).filter(([, d]) => d).map(([k]) => k).join(', ')}`,
      hint: 2,
    },
    { name: "the child's parent is kit, the process that cloned it", pass: (run) => run.seen.parentIsKit === true, hint: 2 },
  ],
};

export default lab;
