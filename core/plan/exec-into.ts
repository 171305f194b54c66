import { containerCgroups } from '../cgroups/container';
import { namespaceDiffers } from '../host/process';
import { SIG } from '../linux';
import type { ContainerSpec, Namespace } from '../spec';
import { NS_FILE } from '../support';
import { joinCgroups } from './cgroups';
import { planExec } from './exec';
import { umaskStep } from './process-limits';
import { confinementSteps } from './security';
import { consoleStep } from './console';
import { confinement } from '../security/options';
import { NAMESPACE_FLAG } from './namespaces';
import type { ContainerStep, HostStep, Plan } from './plan';

/** A running container, as `kit exec` needs it. */
export interface ExecTarget {
  id: string;
  /** Its first process, as the host sees it. */
  pid: number;
  spec: ContainerSpec;
}

/**
 * The order namespaces are joined in. The user namespace first: it owns the
 * others, and joining it gives kit-init the capabilities setns needs on them.
 * The mount namespace last: its /proc may be the container's own, where
 * /proc/<host pid>/ns no longer leads anywhere.
 */
const JOIN_ORDER: Namespace[] = ['user', 'cgroup', 'ipc', 'uts', 'net', 'pid', 'mount'];

/** Where kit-init keeps the container's root open across the setns calls. */
const ROOT_FD = 10;

/**
 * `kit exec`: a new process inside a running container. clone() creates no
 * namespace (the plan's clone flags are SIGCHLD only); kit-init joins the
 * container's through /proc/<pid>/ns/*, as `docker exec` (runc exec,
 * nsenter) does, then takes the container's root as its own and execs.
 * Before it is released kit moves it into the container's cgroups, so what
 * it uses counts against the container's limits, as with docker exec.
 */
export function buildExecIntoPlan(target: ExecTarget, command: string[], tty?: { rows: number; cols: number }, cwd?: string): Plan {
  const joined = JOIN_ORDER.filter((ns) => namespaceDiffers(target.pid, NS_FILE[ns]));
  const root = `/proc/${target.pid}/root`;
  const steps: ContainerStep[] = [
    { op: 'open_dir', path: root, fd: ROOT_FD, why: "hold the container's root directory open: after joining its mount namespace this path may lead elsewhere" },
    ...joined.map((ns): ContainerStep => ({ op: 'setns', path: `/proc/${target.pid}/ns/${NS_FILE[ns]}`, nstype: NAMESPACE_FLAG[ns], why: JOIN_WHY[ns] })),
    { op: 'fchdir', fd: ROOT_FD, why: "step into the container's root through the fd held open" },
    { op: 'chroot', path: '.', why: "make it \"/\": joining a mount namespace gives its root, which is not the container's if it chroot'ed" },
    ...(cwd && cwd !== '/' ? [{ op: 'chdir' as const, path: cwd, why: 'the working directory the caller asked for (process.cwd)' }] : []),
    // An OCI exec's mask (process.user.umask, else runc's 0022); kit exec's is kit's own 022 (runPlan).
    ...(target.spec.umask !== undefined ? [umaskStep(target.spec.umask)] : []),
  ];
  if (joined.includes('pid')) {
    steps.push({ op: 'fork', why: 'setns(CLONE_NEWPID) moves only future children: the child is in the container, this process waits and passes on its exit status' });
  }
  // docker exec: the same capabilities, seccomp filter and no_new_privs as the container's first process.
  if (tty) steps.push(consoleStep(tty, target.spec.user?.uid)); // kit exec -t: a pty of the container's devpts, in the child that execs
  steps.push(...confinementSteps(confinement(target.spec.security), execUser(target.spec, joined)));
  const exec = (planExec({ ...target.spec, command }, [root]).container ?? []).map((step) => ({ ...step, why: EXEC_WHY }));
  return { cloneFlags: SIG.CHLD, prepare: [], attach: joinContainerCgroups(target), exited: [], container: [...steps, ...exec], why: WHY };
}

/**
 * Who the exec'd process is. setns into a user namespace changes no uid:
 * host root joining a --userns=auto container would stay host uid 0, which
 * the namespace has no name for (ps and id show nobody) and which still owns
 * every host-root file it can reach. As runc's exec does, it becomes the
 * namespace's root (the map's first host uid) unless -u names another user.
 * (A rootless kit's own uid is the one mapped to 0: nothing to change.)
 */
function execUser(spec: ContainerSpec, joined: Namespace[]): ContainerSpec['user'] {
  if (spec.user || !joined.includes('user') || process.getuid?.() !== 0) return spec.user;
  return { uid: 0, gid: 0, groups: [] };
}

/**
 * Join the container's cgroups while the child still waits: its setns into
 * the cgroup namespace then finds it inside (/proc/self/cgroup reads "/"),
 * and nothing it forks escapes the limits. No undo is journaled: a process
 * cannot be taken out of a cgroup, only moved, and it leaves with its exit;
 * the container's own journal removes the cgroup and kills what is still in
 * it, exec'd processes included, when the container ends.
 */
function joinContainerCgroups(target: ExecTarget): HostStep[] {
  const cgroups = containerCgroups(target.spec, target.id);
  if (!cgroups) return [];
  return [{ why: "join the container's cgroups: what the command uses counts against the container's limits", run: (ctx) => joinCgroups(ctx, cgroups.dirs) }];
}

const WHY = {
  clone: "a plain child in kit's own namespaces: it execs kit-init, which joins the container's with setns",
  wait: "reap the process kit started (kit-init waiting for its forked command, or the command itself): its status is the exec's",
};

const EXEC_WHY = "replace kit-init with the command: one more process in the container, beside its PID 1";

const JOIN_WHY: Record<Namespace, string> = {
  user: "join the container's user namespace first: it owns the others, and gives the capabilities to join them",
  cgroup: "join the container's cgroup namespace: /proc/self/cgroup reads as it does inside",
  ipc: "join the container's IPC namespace: its SysV IPC objects and POSIX message queues",
  uts: "join the container's UTS namespace: its hostname",
  net: "join the container's network namespace: its interfaces, addresses and ports",
  pid: "join the container's PID namespace (for children: see fork below)",
  mount: "join the container's mount namespace: its mounts, its /proc",
};

/** Shared namespaces are skipped (setns into one's own user namespace even fails). */
