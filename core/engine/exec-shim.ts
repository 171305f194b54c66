import { KitError } from '../errors';
import { AttachHub } from './attach-hub';
import type { ExecShimRequest } from './attach-protocol';
import { execInContainer } from './exec';
import { forgetExec, recordExec } from './exec-record';
import { shimFailure, starterReplies, type StartingChannel } from './shim-channel';
import { readState } from './state';

/**
 * The shim of one exec'd process (`kit exec -d`, `kit exec -it`), as
 * containerd's shim holds docker exec's: the process must outlive the kit
 * command that started it (-d returns at once; Ctrl-P Ctrl-Q leaves it
 * running), yet something must be its parent, to reap it (no zombie) and
 * undo what starting it journaled. The shim is: it starts the process
 * through the same engine as a foreground kit exec, relays its terminal
 * and stdin to the attached client if any, lists it in the container while
 * it runs (exec-record.ts, kit inspect's ExecIDs), and waits for it. The
 * process is in the container's cgroups, so removing the container kills
 * it, and the shim then ends too; a killed shim takes it along (PDEATHSIG).
 * Its output with no client attached is dropped, as docker exec -d's is.
 */
export async function runExecShim(id: string, request: ExecShimRequest, starter: StartingChannel): Promise<void> {
  const { exec, paths } = request;
  const hub = new AttachHub(exec.interactive);
  const reply = starterReplies(starter, hub, request.attach);
  const container = exec.container;
  try {
    const target = readState(paths, container);
    if (!target) throw new KitError(`container ${container} is not running`, '`kit ps` lists the running containers');
    const result = await execInContainer(target, exec.command, {
      id,
      paths,
      process: exec.process,
      tty: exec.tty,
      stdio: hub.relay(() => undefined),
      stdin: exec.interactive ? 'relay' : 'null',
      onEvent: (event) => hub.event(event),
      onRunning: (pid) => {
        recordExec(paths, container, { id, command: exec.command, pid });
        reply({ running: { id, pid } });
      },
    });
    const exit = { exitCode: result.exitCode, signal: result.signal, oomKilled: result.oomKilled, notes: result.notes, failed: result.failed };
    reply(result.failed ? { exit } : { running: { id, pid: result.pid } }); // a command that ended at once still ran
    hub.exited(exit);
  } catch (err) {
    const failed = shimFailure(err);
    reply({ failed });
    hub.failed(failed);
  } finally {
    forgetExec(paths, container, id);
  }
  starter.socket.destroy();
}
