import { readFileSync } from 'node:fs';
import type { Probe } from './probe';

/** The host's hostname, from the kernel's own file for the host's UTS namespace. */
export const hostname: Probe = {
  id: 'hostname',
  title: "the host's hostname",
  run: () => ({ text: readFileSync('/proc/sys/kernel/hostname', 'utf8').trim() }),
};
