import type { ContainerSpec } from '../spec';
import type { ContainerStep, PlanPart } from './plan';

/** The container's end of the console socket (core/engine/channels.ts gives it fd 4). */
export const CONSOLE_FD = 4;

/**
 * `kit run -t`: one kit-init op (native-rs/src/init/console.rs), run after
 * the container's devpts is mounted and before its capabilities are
 * dropped: open /dev/ptmx, unlock it, open its slave /dev/pts/N with the
 * window size of kit's terminal, send the master to kit, then setsid and
 * TIOCSCTTY so the slave is the session's controlling terminal, and dup2 it
 * onto stdin, stdout and stderr. Each call is traced.
 */
export function planConsole(spec: Pick<ContainerSpec, 'tty' | 'user'>): PlanPart {
  return spec.tty ? { container: [consoleStep(spec.tty, spec.user?.uid)] } : {};
}

/** `owner`: the -u uid, given the slave (fchown, its tty group kept) so the command may reopen its own terminal, as runc does. */
export function consoleStep(size: { rows: number; cols: number }, owner?: number): ContainerStep {
  const given = owner !== undefined && owner !== 0 ? `, owned by uid ${owner} (-u) so it can reopen it` : '';
  return {
    op: 'console',
    socket: CONSOLE_FD,
    rows: size.rows,
    cols: size.cols,
    owner: owner !== undefined && owner !== 0 ? owner : -1,
    why: `a pseudo-terminal in the container's own devpts: the slave becomes its controlling terminal (setsid + TIOCSCTTY) and its stdin, stdout and stderr${given}; the master goes to kit`,
  };
}
