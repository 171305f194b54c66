import { readFileSync } from 'node:fs';
import { SIG } from '../linux';
import type { TraceRecorder } from '../trace/recorder';
import type { CgroupIo } from './driver';

/**
 * The real CgroupIo: every change is a traced native call (it shows up as
 * mkdir/write/rmdir/kill in the trace); reads are plain file reads.
 */
export function tracedIo(trace: TraceRecorder, why?: string): CgroupIo {
  return {
    mkdir: (path, callWhy) => trace.host(callWhy ?? why, (n) => n.mkdir(path, 0o755)),
    rmdir: (path, callWhy) => trace.host(callWhy ?? why, (n) => n.rmdir(path)),
    write: (path, value, callWhy) => trace.host(callWhy ?? why, (n) => n.writeFile(path, value)),
    kill: (pid) => trace.host(why, (n) => n.kill(pid, SIG.KILL)),
    read: (path) => {
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return undefined;
      }
    },
    error: () => trace.errorFromLast(),
  };
}
