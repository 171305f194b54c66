import { type Chapter, chrootEscapeAttempt, deviceRulesUsed, ESCAPE_SCRIPT, escapeReport, LOOPBACK_SERVICE_PORT, loopbackServiceDemo } from '../core';

const chapter: Chapter = {
  id: 'escape',
  order: 104,
  title: 'Escapes: seven attacks, with every protection off and on',
  turnsOn: ["Docker's default confinement (capabilities, seccomp, devices, masked and read-only paths)", 'every namespace but user', 'kit0 bridge'],
  summary: 'the same seven escapes with --privileged and by default: what each protection stops',
  story: `Namespaces decide what a container sees; they do not stop root inside from asking
the kernel for things that reach past them. A container that can mount a device
node of the host's disk, write /proc/sys, unmount the masks over /proc, load a
module or read the kernel log is root on the host with extra steps. Docker's
default confinement is several layers, each stopping some of that:
  - pivot_root: nothing above the image to walk to
  - capabilities: 14 kept, no SYS_ADMIN, SYS_MODULE, NET_ADMIN, SYSLOG...
  - seccomp: an allow-list of system calls, checked before anything else
  - device rules (cgroup v1's devices controller, on v2 an eBPF program on the
    container's cgroup): a node may be made, only harmless ones opened
  - runc's masked and read-only paths in /proc and /sys
  - on the host, kit's guard for route_localnet on kit0
kit runs the same attacks twice: first as a default \`kit run\` does, then with
--privileged, which turns all of it off (what kit did before it had any). Every
attempt is real and harmless by construction: the disk is only opened for reading
(loop0, nothing attached), the sysctl gets its own value back, the "module" is a
text file, the kernel log is only read, and the loopback service is one kit
opens for the occasion on 127.0.0.1:${LOOPBACK_SERVICE_PORT}.`,
  spec: {
    image: 'base',
    namespaces: ['mount', 'pid', 'uts', 'ipc', 'cgroup'],
    network: 'bridge',
    hostname: 'kit-escape-demo',
    resources: {},
    command: ESCAPE_SCRIPT,
  },
  demo: {
    container: [chrootEscapeAttempt('the chroot breakout, the first attack')],
    ...loopbackServiceDemo(),
  },
  compareWith: { label: 'with --privileged', spec: { security: { privileged: true } } },
  report: escapeReport,
  probes: { before: [], during: [], after: [] },
  takeaway: `Read the table: with --privileged, most attacks get through. The chroot
breakout fails either way (pivot_root, not a protection --privileged turns off), and
the loopback service hears nothing either way: by default the container cannot even
reroute 127.0.0.1 (no CAP_NET_ADMIN), and with --privileged kit's guard rule drops the
datagrams on the host. By default each attack is stopped, and the line says by what:
an EPERM from seccomp comes first for calls Docker's profile does not allow (umount2,
init_module, syslog), an EPERM from the device rules when a block device is opened
(the table names how this run enforced them), EROFS from the read-only /proc/sys. Several layers stop most attacks: remove one and
the next still holds. --privileged removes them all.`,
  claims: [
    { says: 'by default every attack in the table was refused', holds: (r) => { const rows = r.container.stdout.split('\n').filter((l) => l.startsWith('kit-attack|')); return rows.length > 0 && rows.every((l) => l.split('|')[2] === 'refused'); } },
    {
      says: (r) => `the block device was refused by ${deviceRulesUsed(r.trace) ?? 'the device rules'}`,
      holds: (r) => !!deviceRulesUsed(r.trace) && r.container.stdout.split('\n').some((l) => /^kit-attack\|disk\|refused\|.*not permitted/.test(l)),
    },
    { says: 'each refusal says what stopped it (an errno or the image still being "/")', holds: (r) => r.container.stdout.split('\n').filter((l) => l.startsWith('kit-attack|')).every((l) => (l.split('|')[3] ?? '').length > 0) },
  ],
  tryNext: [
    'sudo kit chapter caps        # one layer: the capabilities',
    'sudo kit chapter seccomp     # another: the filter',
    'sudo kit chapter escape --cgroup-driver v2   # devices: an eBPF program',
    'sudo kit run --privileged --network none base dmesg | tail -3   # what --privileged hands out',
  ],
};

export default chapter;
