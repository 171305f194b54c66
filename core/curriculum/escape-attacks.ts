import { DOCKER_DEFAULT_CAPS } from '../security/capabilities';
import { DEFAULT_SECCOMP_PROFILE } from '../security/seccomp-default';
import { hostTarget, seccompFilters } from '../security/seccomp-resolve';
import { LOOPBACK_SERVICE_PORT } from './demos/loopback-service';
import type { ContainerOutcome } from './chapter';
import type { ProbeResult } from '../probes';
import type { TraceEvent } from '../trace/event';

/**
 * The escape chapter's attacks, each one line of shell that reports
 * `kit-attack|ID|ok|what happened` or `kit-attack|ID|refused|the error`.
 * Harmless by construction: the disk is opened for reading only (loop0,
 * nothing attached), the sysctl gets its own value back, the "module" is a
 * text file no kernel would load, the kernel log is only read, the host's
 * loopback service is one kit runs for the occasion. What a refused attack
 * tried lives in the container's layer and goes with it.
 */
interface Attack {
  id: string;
  title: string;
  script: string;
  /** What stops it in a default container, given the error it printed and the run's trace (this run's data). */
  stoppedBy(error: string, trace: TraceEvent[]): string;
}

const r = (id: string) => `r ${id}`;

const ATTACKS: Attack[] = [
  {
    id: 'chroot',
    title: 'chroot breakout (chroot deeper, walk .., chroot .)',
    script: `if [ -e /etc/kit-release ]; then ${r('chroot')} refused "after the escape, / is still the image"; else ${r('chroot')} ok "walked out to the host's /"; fi`,
    stoppedBy: () => "pivot_root: the image is the top of the container's mount namespace, nothing above it to walk to (see `kit chapter chroot`)",
  },
  {
    id: 'disk',
    title: 'open a host block device (mknod b 7 0: loop0)',
    script: `if e=$(mknod /tmp/kit-disk b 7 0 2>&1) && e=$(head -c 512 /tmp/kit-disk 2>&1 >/dev/null); then ${r('disk')} ok "made the node and read from the host's device"; else ${r('disk')} refused "$e"; fi`,
    stoppedBy: (e, trace) => (/not permitted/.test(e) ? `${deviceRulesUsed(trace) ?? 'no device rules in the trace (EPERM from elsewhere)'}: mknod of any node is allowed, opening a block device is not` : `(${e})`),
  },
  {
    id: 'sysctl',
    title: 'write /proc/sys (kernel.printk_ratelimit, its own value back)',
    script: `f=/proc/sys/kernel/printk_ratelimit; v=$(cat $f); if e=$( (echo "$v" > $f) 2>&1 ); then ${r('sysctl')} ok "wrote the host's kernel.printk_ratelimit (its own value, $v)"; else ${r('sysctl')} refused "$e"; fi`,
    stoppedBy: (e) => (/Read-only/.test(e) ? "runc's read-only paths: /proc/sys is a read-only bind mount" : `(${e})`),
  },
  {
    id: 'unmask',
    title: 'unmask a /proc file runc hides (umount the /dev/null over it)',
    // The first of the masked files this kernel has (not every kernel has /proc/kcore).
    script: `p=$(for x in /proc/kcore /proc/timer_list /proc/keys; do [ -e $x ] && echo $x && break; done); if ! grep -q " $p " /proc/self/mountinfo; then ${r('unmask')} ok "nothing to unmask: $p is not masked"; elif e=$(umount $p 2>&1); then ${r('unmask')} ok "unmounted the mask over $p"; else ${r('unmask')} refused "$e"; fi`,
    stoppedBy: (e) => permissionBy(e, 'umount2', 'SYS_ADMIN'),
  },
  {
    id: 'module',
    title: 'load a kernel module (insmod)',
    script: `echo "not a module" > /tmp/kit.ko; if e=$(insmod /tmp/kit.ko 2>&1); then ${r('module')} ok "loaded"; else case "$e" in *"not permitted"*) ${r('module')} refused "$e";; *) ${r('module')} ok "reached the kernel's module loader, which only refused the file: $e";; esac; fi`,
    stoppedBy: (e) => permissionBy(e, 'init_module', 'SYS_MODULE'),
  },
  {
    id: 'klog',
    title: "read the host's kernel log (dmesg)",
    script: `if e=$(dmesg 2>&1 >/dev/null); then ${r('klog')} ok "read the host's kernel log ($(dmesg | wc -l) lines)"; else ${r('klog')} refused "$e"; fi`,
    stoppedBy: (e) => permissionBy(e, 'syslog', 'SYSLOG'),
  },
  {
    id: 'loopback',
    title: `reach a host service bound to 127.0.0.1:${LOOPBACK_SERVICE_PORT}`,
    script:
      `GW=$(ip route | awk '/default/{print $3}'); ` +
      `if e=$( (ip route del local 127.0.0.0/8 dev lo table local && ip route del local 127.0.0.1 dev lo table local && ip route add 127.0.0.1/32 via $GW dev eth0 && echo 1 > /proc/sys/net/ipv4/conf/eth0/route_localnet) 2>&1 ); then ` +
      `timeout 2 tftp -g -r kit-escape 127.0.0.1 ${LOOPBACK_SERVICE_PORT} >/dev/null 2>&1; ${r('loopback')} ok "routed 127.0.0.1 to the gateway and sent datagrams"; else ${r('loopback')} refused "$e"; fi`,
    stoppedBy: (e) => (/not permitted/.test(e) ? 'capabilities: changing routes needs CAP_NET_ADMIN (and /proc/sys is read-only)' : `(${e})`),
  },
];

/**
 * How this run enforced Docker's device rules, from its trace: cgroup v1's
 * devices controller (writes to devices.deny and devices.allow), or on
 * cgroup v2, which has no devices files, an eBPF program attached to the
 * container's cgroup (bpf(BPF_PROG_LOAD, BPF_PROG_TYPE_CGROUP_DEVICE));
 * undefined when the run made neither (--privileged).
 */
export function deviceRulesUsed(trace: TraceEvent[]): string | undefined {
  const ok = (e: TraceEvent) => e.ret >= 0;
  if (trace.some((e) => ok(e) && e.syscall === 'write' && /devices\.deny"$/.test(e.args[0] ?? ''))) return "cgroup v1's devices controller (devices.deny a, then devices.allow per harmless node)";
  const load = trace.find((e) => ok(e) && e.syscall === 'bpf' && e.args.some((a) => a.includes('BPF_PROG_TYPE_CGROUP_DEVICE')));
  if (load) return `an eBPF device program on the container's cgroup (cgroup v2 has no devices files; loaded by ${load.side === 'host' ? 'kit on the host' : 'kit-init'})`;
  return undefined;
}

/** The container's command: every attack in turn, each reporting one line. */
export const ESCAPE_SCRIPT = ['sh', '-c', ['r() { echo "kit-attack|$1|$2|$3"; }', ...ATTACKS.map((a) => a.script)].join('\n')];

/**
 * EPERM from a call Docker's profile does not allow for the default
 * capabilities came from the filter, which runs first; the missing
 * capability would have refused it next. Computed from kit's own profile.
 */
function permissionBy(error: string, syscall: string, cap: string): string {
  if (!/not permitted/.test(error)) return `(${error})`;
  const allowed = new Set(seccompFilters(DEFAULT_SECCOMP_PROFILE, hostTarget(DOCKER_DEFAULT_CAPS))[0]?.rules.flatMap((rule) => rule.names));
  const capability = DOCKER_DEFAULT_CAPS.includes(cap) ? '' : `, and without the filter the missing CAP_${cap} would refuse it`;
  return allowed.has(syscall) ? `capabilities: ${syscall} needs CAP_${cap}, dropped` : `seccomp: ${syscall} is not on Docker's allow-list without CAP_${cap}${capability}`;
}

interface Outcome {
  status: string;
  detail: string;
}

function outcomes(c: ContainerOutcome | undefined): Map<string, Outcome> {
  const found = new Map<string, Outcome>();
  for (const line of (c?.stdout ?? '').split('\n')) {
    const [tag, id, status, ...detail] = line.split('|');
    if (tag === 'kit-attack') found.set(id, { status, detail: detail.join('|') });
  }
  return found;
}

/**
 * The chapter's table, from both runs' output: per attack, what happened
 * with --privileged and by default, and what stopped it. The loopback row
 * also takes the host service's own count (a run note).
 */
export function escapeReport(main: ContainerOutcome, privileged: ContainerOutcome | undefined, trace: TraceEvent[]): ProbeResult {
  const [on, off] = [outcomes(main), outcomes(privileged)];
  const rows = ATTACKS.map((a) => {
    const [d, p] = [verdict(a, on.get(a.id), main.notes), verdict(a, off.get(a.id), privileged?.notes ?? [])];
    return [
      a.title,
      `  --privileged: ${p.text}`,
      `  default:      ${d.text}`,
      `  stopped by:   ${d.refused ? (d.stopper ?? a.stoppedBy(d.detail, trace)) : d.ran ? 'nothing: it worked' : '?'}`,
    ].join('\n');
  });
  return { probe: 'escape-report', title: 'each attack, with --privileged and by default, and what stopped it', text: rows.join('\n\n'), wrap: true };
}

/**
 * One attack's outcome in one run. The loopback attack "works" inside when
 * the datagrams leave; whether they arrived is the host service's count
 * (a run note): sent but not received means the host dropped them.
 */
function verdict(a: Attack, o: Outcome | undefined, notes: string[]): { text: string; refused: boolean; ran: boolean; detail: string; stopper?: string } {
  if (!o) return { text: 'did not run', refused: false, ran: false, detail: '' };
  const heard = a.id === 'loopback' ? notes.find((n) => n.includes('127.0.0.1:')) : undefined;
  const dropped = a.id === 'loopback' && o.status === 'ok' && / received 0 /.test(heard ?? '');
  const refused = o.status === 'refused' || dropped;
  const detail = `${o.detail}${heard ? `; ${heard}` : ''}`;
  const stopper = dropped ? "kit's route_localnet guard on the host (INPUT drops what arrives on kit0 for 127.0.0.0/8)" : undefined;
  return { text: `${refused ? 'refused' : 'NOT STOPPED'}: ${detail}${stopper ? ` (stopped by ${stopper})` : ''}`, refused, ran: true, detail: o.detail, stopper };
}
