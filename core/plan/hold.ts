import type { Plan } from './plan';

/**
 * The same plan, with the command stopped at its first instruction, just
 * exec'd, until the host lets it go: kit-init asks its parent, kit, to trace
 * it (PTRACE_TRACEME) right before its execve, and the kernel stops a traced
 * process after a successful exec. A chapter looks at the host then ("Host
 * during") and sees the command itself, however short-lived, where it saw
 * kit-init waiting for its plan. Only a chapter asks for it (run.ts's
 * onExec): its "Host during" view is the one place kit shows the host while
 * a command runs. `kit exec` and `kit run -t` have no such view, so their
 * plans, one that forks first (exec into a PID namespace: the forked child
 * execs, not the traced one) or opens a terminal, are left as they are:
 * held, they would only start later.
 */
export function holdAtExec(plan: Plan): Plan {
  const exec = plan.container.findIndex((step) => step.op === 'exec');
  if (exec < 0 || plan.container.some((step) => step.op === 'fork' || step.op === 'console')) return plan;
  const hold = { op: 'hold_at_exec' as const, why: 'be stopped by the kernel right after the execve below, so the host sees the command before it runs a single instruction (kit, the parent, lets it go)' };
  return { ...plan, container: [...plan.container.slice(0, exec), hold, ...plan.container.slice(exec)] };
}
