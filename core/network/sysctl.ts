import { readFileSync } from 'node:fs';
import type { HostChanges } from '../host/journal';
import type { TraceRecorder } from '../trace/recorder';

/** A sysctl's file under /proc/sys: net.ipv4.ip_forward -> /proc/sys/net/ipv4/ip_forward. */
export function sysctlPath(key: string): string {
  return `/proc/sys/${key.replace(/\./g, '/')}`;
}

function readSysctl(key: string): string | undefined {
  try {
    return readFileSync(sysctlPath(key), 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Set a sysctl, journaling its old value first; already set is left alone (nothing to undo). */
export function ensureSysctl(trace: TraceRecorder, changes: HostChanges, key: string, value: string, why: string): void {
  const old = readSysctl(key);
  if (old === value) return;
  changes.make({ op: 'sysctl', key, value: old ?? value }, () => trace.check(why, (n) => n.writeFile(sysctlPath(key), value)));
}
