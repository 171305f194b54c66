import { setTimeout as sleep } from 'node:timers/promises';
import type { KitPaths } from '../paths';
import type { ContainerSpec } from '../spec';
import { attachSocketPath, AttachHub } from './attach-hub';
import { runExecShim } from './exec-shim';
import { shimFailure, starterReplies, startingChannel } from './shim-channel';
import { shellStatus } from './outcome';
import { ContainerLog } from './container-log';
import { readRecord, updateRecord } from './record';
import { restartDelayMs, shouldRestart } from './restart-policy';
import { runContainer } from './run';

/**
 * The shim of a container kit does not run in its own process (`kit run -d`,
 * `kit run -it`, `kit start`; see detached.ts): reads its request, runs the
 * container to the end with its output going to its log and to every
 * attached client (attach-hub.ts), what they type to its stdin, and tells a
 * `kit run -d` once the command runs or why it did not start. It owns the
 * container (state.json's owner): if it dies, PDEATHSIG kills the container
 * and the next kit command replays its journal. A `kit exec -d` or `-it`
 * starts one for its process instead (exec-shim.ts).
 */
export async function runShim(id: string): Promise<void> {
  const starter = startingChannel();
  const request = await starter.request;
  if ('exec' in request) return runExecShim(id, request, starter);
  const { spec, paths } = request;
  const hub = new AttachHub(spec.interactive === true);
  const reply = starterReplies(starter, hub, request.attach);
  const log = new ContainerLog(paths, id, spec); // with --log-driver none attached clients still get the output
  const output = (stream: 'stdout' | 'stderr', text: string) => log.write(stream, text);
  try {
    for (;;) {
      const result = await runContainer(spec, {
        id,
        paths,
        stdio: hub.relay(output),
        stdin: spec.interactive ? 'relay' : 'null',
        onEvent: (event) => hub.event(event),
        // Once the attach socket is there, so `kit attach` works as soon as `kit run -d` returns.
        onRunning: (pid) => void hub.listen(attachSocketPath(paths, id)).then(() => reply({ running: { id, pid } })),
      });
      const exit = { exitCode: result.exitCode, signal: result.signal, oomKilled: result.oomKilled, notes: result.notes, failed: result.failed };
      reply(result.failed ? { exit } : { running: { id, pid: result.pid } }); // a command that ended before the socket was up still ran
      hub.exited(exit);
      // A command that cannot be run is not restarted: Docker restarts only a container that ran and exited.
      if (result.failed || !(await restartDue(paths, id, spec, shellStatus(result)))) break;
    }
  } catch (err) {
    const failed = shimFailure(err);
    reply({ failed });
    hub.failed(failed);
  } finally {
    log.close();
  }
  starter.socket.destroy();
}

/**
 * --restart: whether to run the container again, after Docker's growing
 * delay; asked again after the delay, since kit stop or kit rm may have come
 * meanwhile. The restart is counted in its record (RestartCount).
 */
async function restartDue(paths: KitPaths, id: string, spec: ContainerSpec, exitCode: number): Promise<boolean> {
  const before = readRecord(paths, id);
  if (!shouldRestart(spec.restart, before, exitCode)) return false;
  await sleep(restartDelayMs(before!.restartCount));
  if (!shouldRestart(spec.restart, readRecord(paths, id), exitCode)) return false;
  updateRecord(paths, id, (r) => ({ ...r, restartCount: r.restartCount + 1 }));
  return true;
}
