import { readFileSync, readlinkSync } from 'node:fs';

/** Bytes through a network namespace's links, as docker stats' NET I/O counts them. */
export interface Traffic {
  rxBytes: number;
  txBytes: number;
}

/**
 * What a process's network namespace received and sent, from
 * /proc/<pid>/net/dev (the file shows the namespace of the process that owns
 * the path), summed over every link but lo: traffic inside the container
 * never leaves it. Undefined when the process shares kit's network namespace
 * (--network host): those would be the host's counters, not the container's.
 */
export function namespaceTraffic(pid: number): Traffic | undefined {
  try {
    if (readlinkSync(`/proc/${pid}/ns/net`) === readlinkSync('/proc/self/ns/net')) return undefined;
    return sumLinks(readFileSync(`/proc/${pid}/net/dev`, 'utf8'));
  } catch {
    return undefined; // it exited
  }
}

/** /proc/net/dev: two header lines, then `name: rx_bytes rx_packets ... (8 rx fields) tx_bytes ...`. */
export function sumLinks(netDev: string): Traffic {
  const total = { rxBytes: 0, txBytes: 0 };
  for (const line of netDev.split('\n').slice(2)) {
    const [name, counters] = line.split(':');
    if (counters === undefined || name.trim() === 'lo') continue;
    const fields = counters.trim().split(/\s+/).map(Number);
    total.rxBytes += fields[0];
    total.txBytes += fields[8];
  }
  return total;
}
