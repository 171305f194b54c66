//! The libc functions kit calls, declared by hand (no crates here). Each is a
//! thin glibc wrapper around one syscall; none takes a lock or allocates, so
//! they are also safe in the child between clone() and execve().
use std::os::raw::{c_char, c_int, c_long, c_ulong, c_void};

extern "C" {
    pub fn __errno_location() -> *mut c_int;
    pub fn syscall(number: c_long, ...) -> c_long;
    pub fn mount(
        source: *const c_char,
        target: *const c_char,
        fstype: *const c_char,
        flags: c_ulong,
        data: *const c_void,
    ) -> c_int;
    pub fn umount2(target: *const c_char, flags: c_int) -> c_int;
    pub fn chroot(path: *const c_char) -> c_int;
    pub fn chdir(path: *const c_char) -> c_int;
    pub fn sethostname(name: *const c_char, len: usize) -> c_int;
    pub fn unshare(flags: c_int) -> c_int;
    pub fn mkdir(path: *const c_char, mode: u32) -> c_int;
    pub fn rmdir(path: *const c_char) -> c_int;
    pub fn mknod(path: *const c_char, mode: u32, dev: u64) -> c_int;
    pub fn chmod(path: *const c_char, mode: u32) -> c_int;
    pub fn symlink(target: *const c_char, linkpath: *const c_char) -> c_int;
    pub fn open(path: *const c_char, flags: c_int, ...) -> c_int;
    pub fn read(fd: c_int, buf: *mut c_void, count: usize) -> isize;
    pub fn write(fd: c_int, buf: *const c_void, count: usize) -> isize;
    pub fn close(fd: c_int) -> c_int;
    pub fn flock(fd: c_int, operation: c_int) -> c_int;
    pub fn dup2(old: c_int, new: c_int) -> c_int;
    pub fn dup3(old: c_int, new: c_int, flags: c_int) -> c_int;
    pub fn fchdir(fd: c_int) -> c_int;
    pub fn fcntl(fd: c_int, cmd: c_int, ...) -> c_int;
    pub fn pipe2(fds: *mut c_int, flags: c_int) -> c_int;
    pub fn socketpair(domain: c_int, kind: c_int, protocol: c_int, fds: *mut c_int) -> c_int;
    pub fn execve(path: *const c_char, argv: *const *const c_char, envp: *const *const c_char) -> c_int;
    pub fn wait4(pid: c_int, status: *mut c_int, options: c_int, rusage: *mut c_void) -> c_int;
    pub fn kill(pid: c_int, sig: c_int) -> c_int;
    pub fn prctl(option: c_int, arg2: c_ulong, ...) -> c_int;
    pub fn signal(sig: c_int, handler: usize) -> usize;
    pub fn lsetxattr(path: *const c_char, name: *const c_char, value: *const c_void, size: usize, flags: c_int) -> c_int;
    pub fn lgetxattr(path: *const c_char, name: *const c_char, value: *mut c_void, size: usize) -> isize;
    pub fn setns(fd: c_int, nstype: c_int) -> c_int;
    pub fn fork() -> c_int;
    pub fn raise(sig: c_int) -> c_int;
    pub fn stat(path: *const c_char, buf: *mut c_void) -> c_int;
    pub fn msgget(key: c_int, flags: c_int) -> c_int;
    pub fn msgctl(id: c_int, cmd: c_int, buf: *mut c_void) -> c_int;
    pub fn _exit(code: c_int) -> !;
}

pub const O_RDONLY: c_int = 0;
pub const O_WRONLY: c_int = 1;
pub const O_RDWR: c_int = 2;
pub const O_CREAT: c_int = 0o100;
pub const O_CLOEXEC: c_int = 0o2000000;
pub const F_SETFD: c_int = 2;
pub const F_DUPFD_CLOEXEC: c_int = 1030;
pub const FD_CLOEXEC: c_int = 1;
pub const AF_UNIX: c_int = 1;
pub const SOCK_STREAM: c_int = 1;
pub const SOCK_CLOEXEC: c_int = 0o2000000;
pub const PR_SET_PDEATHSIG: c_int = 1;
pub const SIGKILL: c_int = 9;
pub const SIG_DFL: usize = 0;
pub const EINTR: c_int = 4;
pub const IPC_CREAT: c_int = 0o1000;
pub const IPC_EXCL: c_int = 0o2000;
pub const IPC_RMID: c_int = 0;

/// The same number on x86_64 and aarch64 (asm-generic); Linux 5.9+.
pub const SYS_CLOSE_RANGE: c_long = 436;
pub const SIG_IGN: usize = 1;
pub const SIG_SETMASK: c_int = 2;
/// The kernel's signal mask: 64 bits, not glibc's 1024-bit sigset_t.
pub const KERNEL_SIGSET_SIZE: usize = 8;
#[cfg(target_arch = "x86_64")]
pub const SYS_RT_SIGPROCMASK: c_long = 14;
#[cfg(target_arch = "aarch64")]
pub const SYS_RT_SIGPROCMASK: c_long = 135;
#[cfg(target_arch = "x86_64")]
pub const SYS_CLONE: c_long = 56;
#[cfg(target_arch = "x86_64")]
pub const SYS_PIVOT_ROOT: c_long = 155;
#[cfg(target_arch = "aarch64")]
pub const SYS_CLONE: c_long = 220;
#[cfg(target_arch = "aarch64")]
pub const SYS_PIVOT_ROOT: c_long = 41;
#[cfg(target_arch = "x86_64")]
pub const O_DIRECTORY: c_int = 0o200000;
#[cfg(target_arch = "aarch64")]
pub const O_DIRECTORY: c_int = 0o40000;
