import { commandOutput } from './command';
import type { Probe } from './probe';

/** The host's System V message queues, as `ipcs -q` lists them. */
export const ipcQueues: Probe = {
  id: 'ipc-queues',
  title: "the host's System V message queues (ipcs -q)",
  run: () => ({ text: commandOutput(['ipcs', '-q']) }),
};
