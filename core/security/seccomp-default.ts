import { ALLOW, errno, type SeccompProfile, type SeccompRule } from './seccomp-profile';

const EPERM = 1;
const ENOSYS = 38;

/**
 * Docker's default seccomp profile (moby's profiles/seccomp/default.json),
 * in kit's form. It is an allow-list: the ~360 calls ordinary programs make
 * are allowed, everything else fails with EPERM. The calls that reach past
 * the container (mount, kexec_load, init_module, bpf, keyctl, syslog,
 * clock_settime, reboot, swapon, unshare/setns...) are simply not on the
 * list, unless the container was given the capability that makes them
 * legitimate (`--cap-add SYS_ADMIN` brings back mount and unshare). Rules
 * whose calls exist only on other architectures are kept, as in Docker's:
 * the host resolves them away.
 */
const ORDINARY_CALLS = [
  'accept', 'accept4', 'access', 'adjtimex', 'alarm', 'bind', 'brk', 'capget', 'capset', 'chdir', 'chmod',
  'chown', 'chown32', 'clock_adjtime', 'clock_adjtime64', 'clock_getres', 'clock_getres_time64',
  'clock_gettime', 'clock_gettime64', 'clock_nanosleep', 'clock_nanosleep_time64', 'close', 'close_range',
  'connect', 'copy_file_range', 'creat', 'dup', 'dup2', 'dup3', 'epoll_create', 'epoll_create1', 'epoll_ctl',
  'epoll_ctl_old', 'epoll_pwait', 'epoll_pwait2', 'epoll_wait', 'epoll_wait_old', 'eventfd', 'eventfd2',
  'execve', 'execveat', 'exit', 'exit_group', 'faccessat', 'faccessat2', 'fadvise64', 'fadvise64_64',
  'fallocate', 'fanotify_mark', 'fchdir', 'fchmod', 'fchmodat', 'fchown', 'fchown32', 'fchownat', 'fcntl',
  'fcntl64', 'fdatasync', 'fgetxattr', 'flistxattr', 'flock', 'fork', 'fremovexattr', 'fsetxattr', 'fstat',
  'fstat64', 'fstatat64', 'fstatfs', 'fstatfs64', 'fsync', 'ftruncate', 'ftruncate64', 'futex',
  'futex_time64', 'futex_waitv', 'futimesat', 'getcpu', 'getcwd', 'getdents', 'getdents64', 'getegid',
  'getegid32', 'geteuid', 'geteuid32', 'getgid', 'getgid32', 'getgroups', 'getgroups32', 'getitimer',
  'getpeername', 'getpgid', 'getpgrp', 'getpid', 'getppid', 'getpriority', 'getrandom', 'getresgid',
  'getresgid32', 'getresuid', 'getresuid32', 'getrlimit', 'get_robust_list', 'getrusage', 'getsid',
  'getsockname', 'getsockopt', 'get_thread_area', 'gettid', 'gettimeofday', 'getuid', 'getuid32', 'getxattr',
  'inotify_add_watch', 'inotify_init', 'inotify_init1', 'inotify_rm_watch', 'io_cancel', 'ioctl',
  'io_destroy', 'io_getevents', 'io_pgetevents', 'io_pgetevents_time64', 'ioprio_get', 'ioprio_set',
  'io_setup', 'io_submit', 'io_uring_enter', 'io_uring_register', 'io_uring_setup', 'ipc', 'kill',
  'landlock_add_rule', 'landlock_create_ruleset', 'landlock_restrict_self', 'lchown', 'lchown32',
  'lgetxattr', 'link', 'linkat', 'listen', 'listxattr', 'llistxattr', '_llseek', 'lremovexattr', 'lseek',
  'lsetxattr', 'lstat', 'lstat64', 'madvise', 'membarrier', 'memfd_create', 'memfd_secret', 'mincore',
  'mkdir', 'mkdirat', 'mknod', 'mknodat', 'mlock', 'mlock2', 'mlockall', 'mmap', 'mmap2', 'mprotect',
  'mq_getsetattr', 'mq_notify', 'mq_open', 'mq_timedreceive', 'mq_timedreceive_time64', 'mq_timedsend',
  'mq_timedsend_time64', 'mq_unlink', 'mremap', 'msgctl', 'msgget', 'msgrcv', 'msgsnd', 'msync', 'munlock',
  'munlockall', 'munmap', 'name_to_handle_at', 'nanosleep', 'newfstatat', '_newselect', 'open', 'openat',
  'openat2', 'pause', 'pidfd_open', 'pidfd_send_signal', 'pipe', 'pipe2', 'pkey_alloc', 'pkey_free',
  'pkey_mprotect', 'poll', 'ppoll', 'ppoll_time64', 'prctl', 'pread64', 'preadv', 'preadv2', 'prlimit64',
  'process_mrelease', 'pselect6', 'pselect6_time64', 'pwrite64', 'pwritev', 'pwritev2', 'read', 'readahead',
  'readlink', 'readlinkat', 'readv', 'recv', 'recvfrom', 'recvmmsg', 'recvmmsg_time64', 'recvmsg',
  'remap_file_pages', 'removexattr', 'rename', 'renameat', 'renameat2', 'restart_syscall', 'rmdir', 'rseq',
  'rt_sigaction', 'rt_sigpending', 'rt_sigprocmask', 'rt_sigqueueinfo', 'rt_sigreturn', 'rt_sigsuspend',
  'rt_sigtimedwait', 'rt_sigtimedwait_time64', 'rt_tgsigqueueinfo', 'sched_getaffinity', 'sched_getattr',
  'sched_getparam', 'sched_get_priority_max', 'sched_get_priority_min', 'sched_getscheduler',
  'sched_rr_get_interval', 'sched_rr_get_interval_time64', 'sched_setaffinity', 'sched_setattr',
  'sched_setparam', 'sched_setscheduler', 'sched_yield', 'seccomp', 'select', 'semctl', 'semget', 'semop',
  'semtimedop', 'semtimedop_time64', 'send', 'sendfile', 'sendfile64', 'sendmmsg', 'sendmsg', 'sendto',
  'setfsgid', 'setfsgid32', 'setfsuid', 'setfsuid32', 'setgid', 'setgid32', 'setgroups', 'setgroups32',
  'setitimer', 'setpgid', 'setpriority', 'setregid', 'setregid32', 'setresgid', 'setresgid32', 'setresuid',
  'setresuid32', 'setreuid', 'setreuid32', 'setrlimit', 'set_robust_list', 'setsid', 'setsockopt',
  'set_thread_area', 'set_tid_address', 'setuid', 'setuid32', 'setxattr', 'shmat', 'shmctl', 'shmdt',
  'shmget', 'shutdown', 'sigaltstack', 'signalfd', 'signalfd4', 'sigprocmask', 'sigreturn', 'socketcall',
  'socketpair', 'splice', 'stat', 'stat64', 'statfs', 'statfs64', 'statx', 'symlink', 'symlinkat', 'sync',
  'sync_file_range', 'syncfs', 'sysinfo', 'tee', 'tgkill', 'time', 'timer_create', 'timer_delete',
  'timer_getoverrun', 'timer_gettime', 'timer_gettime64', 'timer_settime', 'timer_settime64',
  'timerfd_create', 'timerfd_gettime', 'timerfd_gettime64', 'timerfd_settime', 'timerfd_settime64', 'times',
  'tkill', 'truncate', 'truncate64', 'ugetrlimit', 'umask', 'uname', 'unlink', 'unlinkat', 'utime',
  'utimensat', 'utimensat_time64', 'utimes', 'vfork', 'vmsplice', 'wait4', 'waitid', 'waitpid', 'write',
  'writev',
];

/** The flags that make clone() create namespaces (CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET). */
const CLONE_NAMESPACE_FLAGS = 0x7e020000;

const allow = (names: string[], extra: Omit<SeccompRule, 'names' | 'action'> = {}): SeccompRule => ({ names, action: ALLOW, ...extra });
const withCap = (cap: string, names: string[], why: string): SeccompRule => allow(names, { includes: { caps: [cap] }, why });
const onArches = (arches: string[], names: string[]): SeccompRule => allow(names, { includes: { arches } });
const personality = (value: number): SeccompRule => allow(['personality'], { args: [{ index: 0, op: 'eq', value }] });
const S390 = ['s390', 's390x'];
/** clone() whose flag word (argument `index`) has none of the namespace flags set. */
const cloneWithoutNamespaces = (index: number, extra: Omit<SeccompRule, 'names' | 'action' | 'args'>): SeccompRule =>
  allow(['clone'], { args: [{ index, op: 'masked_eq', value: CLONE_NAMESPACE_FLAGS, valueTwo: 0 }], ...extra });

export const DEFAULT_SECCOMP_PROFILE: SeccompProfile = {
  name: "Docker's default profile",
  defaultAction: errno(EPERM),
  rules: [
    allow(ORDINARY_CALLS, { why: 'what ordinary programs call' }),
    allow(['process_vm_readv', 'process_vm_writev', 'ptrace'], { includes: { minKernel: '4.8' }, why: 'before 4.8, ptrace could be used to bypass seccomp' }),
    allow(['socket'], { args: [{ index: 0, op: 'ne', value: 40 }], why: 'any socket family but AF_VSOCK (a channel to the hypervisor)' }),
    // personality(): only the harmless execution domains (Linux, 32-bit addresses, no randomisation query).
    ...[0, 8, 0x20000, 0x20008, 0xffffffff].map(personality),
    onArches(['ppc64le'], ['sync_file_range2', 'swapcontext']),
    onArches(['arm', 'arm64'], ['arm_fadvise64_64', 'arm_sync_file_range', 'sync_file_range2', 'breakpoint', 'cacheflush', 'set_tls']),
    onArches(['amd64', 'x32'], ['arch_prctl']),
    onArches(['amd64', 'x32', 'x86'], ['modify_ldt']),
    onArches(S390, ['s390_pci_mmio_read', 's390_pci_mmio_write', 's390_runtime_instr']),
    onArches(['riscv64'], ['riscv_flush_icache']),
    withCap('DAC_READ_SEARCH', ['open_by_handle_at'], 'opens any file by its handle, past the mount namespace (the "shocker" escape)'),
    withCap('SYS_ADMIN', ['bpf', 'clone', 'clone3', 'fanotify_init', 'fsconfig', 'fsmount', 'fsopen', 'fspick', 'lookup_dcookie', 'mount', 'mount_setattr', 'move_mount', 'open_tree', 'perf_event_open', 'quotactl', 'quotactl_fd', 'setdomainname', 'sethostname', 'setns', 'syslog', 'umount', 'umount2', 'unshare'],
      'mounts, namespaces, eBPF, perf, the kernel log: system administration'),
    cloneWithoutNamespaces(0, { excludes: { caps: ['SYS_ADMIN'], arches: S390 }, why: 'fork and threads, but no new namespaces' }),
    cloneWithoutNamespaces(1, { includes: { arches: S390 }, excludes: { caps: ['SYS_ADMIN'] }, why: 's390 passes the clone flags second' }),
    { names: ['clone3'], action: errno(ENOSYS), excludes: { caps: ['SYS_ADMIN'] }, why: "clone3's flags are in memory, which seccomp cannot read: ENOSYS makes glibc fall back to clone" },
    withCap('SYS_BOOT', ['reboot'], 'reboot'),
    withCap('SYS_CHROOT', ['chroot'], 'chroot'),
    withCap('SYS_MODULE', ['delete_module', 'init_module', 'finit_module'], 'loading code into the kernel'),
    withCap('SYS_PACCT', ['acct'], 'process accounting'),
    withCap('SYS_PTRACE', ['kcmp', 'pidfd_getfd', 'process_madvise', 'process_vm_readv', 'process_vm_writev', 'ptrace'], 'reading and steering other processes'),
    withCap('SYS_RAWIO', ['iopl', 'ioperm'], 'raw I/O ports'),
    withCap('SYS_TIME', ['settimeofday', 'stime', 'clock_settime', 'clock_settime64'], 'the clock is not namespaced: setting it sets the host\'s'),
    withCap('SYS_TTY_CONFIG', ['vhangup'], 'hanging up terminals'),
    withCap('SYS_NICE', ['get_mempolicy', 'mbind', 'set_mempolicy', 'set_mempolicy_home_node'], 'NUMA memory placement'),
    withCap('SYSLOG', ['syslog'], 'the kernel log'),
    withCap('BPF', ['bpf'], 'eBPF'),
    withCap('PERFMON', ['perf_event_open'], 'performance counters'),
  ],
};
