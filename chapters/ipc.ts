import { type Chapter, hostMessageQueueDemo, claimData } from '../core';

const chapter: Chapter = {
  id: 'ipc',
  order: 40,
  title: 'IPC namespace: System V queues, semaphores and shared memory of its own',
  turnsOn: ['ipc namespace', 'mount namespace', 'pid namespace', 'rootfs (base image)'],
  summary: 'CLONE_NEWIPC: a message queue made on the host is invisible inside (ipcs)',
  story: `System V IPC objects (message queues, semaphore sets, shared memory segments)
are not files: they live in a kernel table, found by a numeric key, and any process
that knows the key (and passes the permission check) can use them. Two programs in
two containers picking the same key would share a queue by accident, or on purpose.
CLONE_NEWIPC gives the child an empty table of its own; POSIX message queues
(/dev/mqueue) are isolated by the same namespace.
Here kit creates a message queue on the host (msgget with IPC_CREAT, what
\`ipcmk -Q\` does), then runs \`ipcs -q\` inside a new IPC namespace. The queue is
journaled and removed when the container ends.`,
  spec: { image: 'base', namespaces: ['ipc', 'mount', 'pid'], command: ['ipcs', '-q'] },
  demo: hostMessageQueueDemo(),
  probes: { before: ['ipc-queues'], during: ['ipc-queues', 'container-process'], after: ['ipc-queues'] },
  takeaway: `During the run, the host's ipcs -q lists kit's queue (a key starting 0x4b); inside,
ipcs -q lists no queue at all. After the run the queue is gone from the host too:
msgctl(IPC_RMID) in the trace is kit undoing its own change.`,
  claims: [
    { says: "during the run the host's ipcs -q lists kit's queue (a key starting 0x4b)", holds: (r) => /^0x4b/m.test(claimData.probe(r, 'during', 'ipc-queues')?.text ?? '') },
    { says: 'inside, ipcs -q lists no queue at all', holds: (r) => r.container.exitCode === 0 && !/^0x/m.test(r.container.stdout) },
    { says: 'after the run the queue is gone from the host: msgctl(IPC_RMID) in the trace', holds: (r) => !/^0x4b/m.test(claimData.probe(r, 'after', 'ipc-queues')?.text ?? '0x4b') && claimData.calls(r, 'msgctl').some((e) => e.ret === 0) },
  ],
  tryNext: [
    "sudo kit chapter ipc -- sh -c 'ipcmk -Q; ipcs -q'     # a queue made inside: gone with the namespace",
    'ipcmk -Q && ipcs -q && sudo kit chapter ipc           # your own host queue, invisible inside (ipcrm -q <id> after)',
    'sudo kit chapter chroot                                # next: changing the root, and escaping it',
  ],
  explain: {
    msgget: `msgget(key, IPC_CREAT|IPC_EXCL) creates a queue in the caller's IPC namespace; IPC_EXCL makes it fail rather than reuse a queue someone else made with that key.`,
    clone: `CLONE_NEWIPC creates a new, empty IPC namespace: its own tables of queues, semaphores and shared memory, its own /proc/sys/kernel/msgmax and friends, its own POSIX message queues.`,
    msgctl: `msgctl(id, IPC_RMID) removes the queue: the journaled undo of the host change kit made for this demo.`,
  },
};

export default chapter;
