import { MS } from '../../linux';
import type { NativeAttempt } from '../../native';
import type { ContainerStep, PlanPart } from '../../plan';

/**
 * Calls a chapter makes on purpose after the confinement steps, to show in
 * the trace what the container may and may not do. Each is wrapped in
 * kit-init's `try`: a refused call is the lesson, not a failed start.
 * Each is harmless by construction: a tmpfs on the container's own /mnt, a
 * swapoff of a path that does not exist.
 */
function attempt(call: NativeAttempt, why: string, hint: string): ContainerStep {
  return { op: 'try', attempt: call, why, hint };
}

export function mountAttempt(why: string, hint: string): ContainerStep {
  return attempt({ op: 'mount', source: 'kit-demo', target: '/mnt', fstype: 'tmpfs', flags: MS.NOSUID | MS.NODEV | MS.NOEXEC, data: '' }, why, hint);
}

/** The capabilities chapter: root inside, yet mount(2) fails, because CAP_SYS_ADMIN was dropped. */
export function droppedCapabilityDemo(): PlanPart {
  return {
    container: [
      mountAttempt(
        'try to mount a tmpfs: root inside, but CAP_SYS_ADMIN is not among the 14 kept',
        'EPERM: mount(2) checks CAP_SYS_ADMIN, dropped by the capset above (no seccomp filter here: the kernel itself said no)',
      ),
    ],
  };
}

/** The seccomp chapter: with CAP_SYS_ADMIN, mount passes the filter; swapoff never does. */
export function seccompDemo(): PlanPart {
  return {
    container: [
      mountAttempt('allowed: Docker\'s profile lets mount through when the container has CAP_SYS_ADMIN, as this one does', 'mount failed: it should have passed the filter'),
      attempt({ op: 'swapoff', path: '/kit-no-such-swap' }, 'blocked: swapoff is on no allow-list of Docker\'s profile, whatever the capabilities (the path does not even exist)', 'EPERM from the filter: the call never reached the kernel\'s code, which would have said ENOENT (no such file)'),
    ],
  };
}
