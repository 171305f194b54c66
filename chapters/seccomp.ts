import { type Chapter, seccompDemo, claimData } from '../core';

const chapter: Chapter = {
  id: 'seccomp',
  order: 102,
  title: 'seccomp: a filter in front of every system call',
  turnsOn: ["Docker's seccomp profile", "Docker's 14 capabilities + SYS_ADMIN", 'mount namespace', 'pid namespace', 'rootfs (base image)'],
  summary: "a BPF filter of Docker's profile: mount passes with CAP_SYS_ADMIN, swapoff never does",
  story: `Capabilities ask "may this process do that?" inside each system call. seccomp asks
earlier, at the door: a small BPF program the process installs runs on every system
call it makes from then on, looks at the call's number and arguments, and answers
allow, or fail with this errno, or kill. The filter is inherited by every child and
kept across execve; it can only be tightened.
Docker's default profile is an allow-list: about 360 calls ordinary programs make,
everything else fails with EPERM. Some calls are allowed only with the capability
that makes them legitimate: with CAP_SYS_ADMIN, mount and unshare pass; others, like
swapoff, kexec_load, init_module without CAP_SYS_MODULE, keyctl, are on no list.
clone3 gets ENOSYS, so glibc falls back to clone, whose flags the filter can read.
kit compiles the profile with Firecracker's seccompiler, one filter per action
(the kernel runs them all and keeps the strictest answer), installed by kit-init
with seccomp(SECCOMP_SET_MODE_FILTER). This container also gets CAP_SYS_ADMIN, so
what the capabilities allow is not what stops swapoff: only the filter is left.`,
  unconfined: 'so that a refusal here comes from the filter, not from a missing capability',
  spec: {
    image: 'base',
    namespaces: ['mount', 'pid', 'uts'],
    hostname: 'kit-seccomp-demo',
    security: { capAdd: ['SYS_ADMIN'] },
    command: ['sh', '-c', 'grep -E "^Seccomp" /proc/self/status; swapoff /kit-no-such-swap; echo "swapoff: exit code $?"'],
  },
  demo: seccompDemo(),
  compareWith: { label: 'without the filter (--security-opt seccomp=unconfined)', spec: { security: { capAdd: ['SYS_ADMIN'], seccomp: 'unconfined' } } },
  probes: { before: [], during: [], after: [] },
  takeaway: `The trace shows one seccomp() call: the allow-list, everything else EPERM (with
CAP_SYS_ADMIN, Docker's clone3 rule does not apply; a default kit run --trace shows a
second filter for it, answering ENOSYS). After it, mount of a tmpfs = 0: allowed,
because this container has CAP_SYS_ADMIN and the profile says so. swapoff = -1 EPERM: the filter answered before
the kernel's swapoff code ran. Inside, /proc/self/status says Seccomp: 2 (filter mode)
and Seccomp_filters: 1.
Without the filter, the same swapoff fails differently: ENOENT, "No such file or
directory": the kernel got to look for the path. Same errno name as a missing
capability (EPERM), different gatekeeper: the errno alone does not tell which one said no.`,
  claims: [
    { says: 'the trace shows the seccomp() call that installs the filter', holds: (r) => claimData.calls(r, 'seccomp', 'container').some((e) => e.args[0] === 'SECCOMP_SET_MODE_FILTER' && e.ret === 0) },
    { says: 'inside, /proc/self/status says Seccomp: 2 (filter mode)', holds: (r) => /^Seccomp:\s+2$/m.test(r.container.stdout) },
    { says: 'swapoff was refused with EPERM ("Operation not permitted")', holds: (r) => /swapoff: .*Operation not permitted/.test(r.container.stderr + r.container.stdout) },
  ],
  tryNext: [
    'sudo kit run --network none base grep Seccomp /proc/self/status          # every kit run: mode 2',
    'sudo kit run --network none base unshare -m true                         # EPERM: unshare needs SYS_ADMIN in the profile',
    'sudo kit run --network none --security-opt seccomp=my-profile.json base sh   # your own profile, Docker\'s JSON format',
    'sudo kit chapter escape                                                   # every protection against real attacks',
  ],
  explain: {
    seccomp: 'seccomp(SECCOMP_SET_MODE_FILTER, flags, prog) installs a classic BPF program. Without no_new_privs it needs CAP_SYS_ADMIN, so kit-init installs it before dropping capabilities, as runc does.',
    swapoff: 'swapoff(2) needs CAP_SYS_ADMIN and then looks up the path. Docker blocks it outright: swap is host-wide.',
  },
};

export default chapter;
