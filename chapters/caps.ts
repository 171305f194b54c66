import { type Chapter, droppedCapabilityDemo, claimData } from '../core';

const chapter: Chapter = {
  id: 'caps',
  order: 100,
  title: "Capabilities: root's power, cut into pieces",
  turnsOn: ["Docker's 14 capabilities", 'mount namespace', 'pid namespace', 'rootfs (base image)'],
  summary: "capset to Docker's 14: root inside can chown and bind port 80, but not mount",
  story: `Since Linux 2.2, "root" is not one power but about forty capabilities, each
checked by the kernel for its own family of operations: CAP_CHOWN for chown,
CAP_NET_BIND_SERVICE for ports below 1024, CAP_SYS_ADMIN for mount and most of
system administration, CAP_SYS_MODULE for loading kernel code. A process has
several sets: effective (what is checked now), permitted (what it may switch
on), inheritable, ambient, and the bounding set, the ceiling of what any later
execve can give, even to a setuid-root program.
Every namespace so far still left the container root with all of them. Docker
keeps 14 (CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, SETGID, SETUID, SETPCAP,
NET_BIND_SERVICE, NET_RAW, SYS_CHROOT, MKNOD, AUDIT_WRITE, SETFCAP): what images
usually need as root, nothing that reaches past the container. Last thing before
execve, kit-init drops the rest from the bounding set (one prctl each), capsets
the 14, clears the ambient set. Then it tries a mount, and the command tries one.
This chapter runs without a seccomp filter, so the refusal is the capability's
alone (kit chapter seccomp shows the filter).`,
  unconfined: 'so that only the capabilities stand in the way of the mount it tries',
  spec: {
    image: 'base',
    namespaces: ['mount', 'pid', 'uts'],
    hostname: 'kit-caps-demo',
    security: { seccomp: 'unconfined' },
    command: ['sh', '-c', 'grep -E "^Cap(Eff|Bnd)" /proc/self/status; mount -t tmpfs kit-demo /mnt 2>&1; echo "mount: exit code $?"'],
  },
  demo: droppedCapabilityDemo(),
  probes: { before: [], created: ['capabilities-before'], during: [], after: [] },
  takeaway: `Before release, kit-init (pid above) had every capability this host gives kit. The trace
then drops the others from the bounding set one prctl(PR_CAPBSET_DROP) at a time,
and capset names the 14 kept; the command's CapEff and CapBnd, 00000000a80425fb,
are those 14 bits. The mount kit-init tried came back -1 EPERM: root inside, but
the kernel checks CAP_SYS_ADMIN, not uid 0. The command's own mount failed the same
way. chown, kill, binding port 80 still work: the capabilities that stayed.`,
  claims: [
    { says: 'the trace drops capabilities from the bounding set, one prctl(PR_CAPBSET_DROP) each, CAP_SYS_ADMIN among them', holds: (r) => claimData.calls(r, 'prctl', 'container').some((e) => e.args[0] === 'PR_CAPBSET_DROP' && e.args[1] === 'CAP_SYS_ADMIN' && e.ret === 0) },
    { says: "the command's CapEff and CapBnd are the same kept set", holds: (r) => { const eff = /CapEff:\s+(\w+)/.exec(r.container.stdout)?.[1]; return eff !== undefined && new RegExp(`CapBnd:\\s+${eff}`).test(r.container.stdout); } },
    { says: "the command's own mount was refused: root inside, without CAP_SYS_ADMIN", holds: (r) => /mount: permission denied/.test(r.container.stdout + r.container.stderr) },
  ],
  tryNext: [
    'sudo kit run --network none base grep Cap /proc/self/status              # the same 14 in every kit run',
    'sudo kit run --network none --cap-add SYS_ADMIN --security-opt seccomp=unconfined base sh -c "mount -t tmpfs x /mnt && echo mounted"',
    'sudo kit run --network none --cap-drop ALL base chown 1 /tmp             # EPERM: even CAP_CHOWN is gone',
    'sudo kit chapter seccomp                                                  # next: the filter on system calls',
  ],
  explain: {
    prctl: 'PR_CAPBSET_DROP removes one capability from the bounding set. It needs CAP_SETPCAP, which is why it comes before capset takes the others away. After execve, a root process gets its bounding set as its permitted and effective sets.',
    capset: "capset(2) sets the effective, permitted and inheritable sets of the calling thread in one call (version 3: 64 bits each). A set may only shrink, unless the capability is in the permitted set already.",
    mount: 'mount(2) requires CAP_SYS_ADMIN in the user namespace that owns the mount namespace. Here that is the host\'s, and the capability is gone.',
  },
};

export default chapter;
