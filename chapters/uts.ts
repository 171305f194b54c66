import { type Chapter, type Claim, claimData } from '../core';

/** Said with and without root: `hostname` prints it, and so does the chapter's Try line, `uname -a`. */
const printedHostname: Claim = { says: 'inside, the command printed the hostname kit-uts-demo', holds: (r) => /(^|\s)kit-uts-demo(\s|$)/m.test(r.container.stdout) };
const hostKeptItsName: Claim = { says: "the host's hostname was the same before and after", holds: (r) => claimData.probe(r, 'before', 'hostname')?.text === claimData.probe(r, 'after', 'hostname')?.text };

const chapter: Chapter = {
  id: 'uts',
  order: 10,
  title: 'UTS namespace: a hostname of its own',
  turnsOn: ['uts namespace'],
  summary: 'CLONE_NEWUTS: sethostname inside, the host keeps its name',
  story: `The UTS namespace (the name comes from "UNIX Time-sharing System", the struct
utsname that uname() returns) holds two strings: the hostname and the NIS domain
name. clone() with CLONE_NEWUTS gives the child a copy of both; from then on
sethostname() inside changes only the copy. This is why every Docker container
answers \`hostname\` with its own short id while the host keeps its name.`,
  spec: { namespaces: ['uts'], hostname: 'kit-uts-demo', command: ['hostname'] },
  probes: { before: ['hostname'], during: ['container-process'], after: ['hostname'] },
  takeaway: `Inside, hostname prints kit-uts-demo; the host's hostname is the same before and after.
The only namespace that differs from the host's is uts.`,
  claims: [
    printedHostname,
    hostKeptItsName,
    { says: 'uts is the only namespace that differs from the host\'s', holds: (r) => claimData.differing(r).join() === 'uts' },
  ],
  withoutRoot: {
    takeaway: `Inside, hostname prints kit-uts-demo; the host's hostname is the same before and after.
Two namespaces differ from the host's: uts, and the user namespace kit made so that
a user without root may make the others (root inside it is you outside).`,
    claims: [
      printedHostname,
      hostKeptItsName,
      { says: "uts and the user namespace are the only ones that differ from the host's", holds: (r) => [...claimData.differing(r)].sort().join() === 'user,uts' },
    ],
  },
  tryNext: [
    'sudo kit chapter uts -- uname -a          # the nodename field comes from the same namespace',
    'sudo kit chapter pid                      # next: a process tree of its own',
  ],
  explain: {
    clone: `CLONE_NEWUTS asks clone() for a new UTS namespace initialised as a copy of the parent's. Creating a namespace needs CAP_SYS_ADMIN, so kit runs as root.`,
    sethostname: `sethostname() writes the hostname of the caller's UTS namespace. Run by a process in the host's namespace it would rename the machine; here it renames only the container.`,
  },
};

export default chapter;
