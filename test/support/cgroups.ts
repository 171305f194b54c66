import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = '/sys/fs/cgroup';

/** Every cgroup directory named after one of these container ids, in any hierarchy (v1 and v2). */
export function cgroupDirsOf(ids: string[]): string[] {
  const roots = readdirSync(ROOT).map((h) => join(ROOT, h, 'kit'));
  return [join(ROOT, 'kit'), ...roots].flatMap((parent) => (existsSync(parent) ? readdirSync(parent).filter((d) => ids.includes(d)).map((d) => join(parent, d)) : []));
}

/** The container id in a trace: the directory kit made for it under kit/. */
export function containerIdOf(trace: Array<{ syscall: string; args: string[] }>): string {
  const mkdir = trace.find((e) => e.syscall === 'mkdir' && /\/kit\/[0-9a-f]{12}"$/.test(e.args[0]));
  if (!mkdir) throw new Error('no cgroup mkdir in the trace');
  return mkdir.args[0].slice(-13, -1);
}
