//! clone(2): the moment a container is born. The flag word picks which
//! namespaces the child gets; the child then execs kit-init.
//!
//! Node is multi-threaded, so the child of clone() may find a malloc or stdio
//! lock held by a thread that does not exist on its side. Everything the child
//! needs is therefore built before the call, and the child runs only raw
//! syscalls (sigaction, sigprocmask, fcntl, dup2, close_range, prctl, execve)
//! until it has exec'd the single-threaded kit-init, as runc does with
//! `runc init`.
use std::ffi::CString;
use std::os::raw::c_char;

use super::libc::{
    self, F_DUPFD_CLOEXEC, PR_SET_PDEATHSIG, SIGKILL, SIG_DFL, SIG_IGN, SIG_SETMASK, SYS_clone, SYS_close_range, SYS_rt_sigprocmask,
};
use super::userns_child;
use super::{cstr, traced, SysResult};
use crate::decode;

/// The child's fds 0..MAX_FDS-1 come from the fds given here, in order.
pub const MAX_FDS: usize = 8;
/// The child's control socket (the host's plan in, kit-init's trace out).
const CONTROL_FD: i32 = 3;
/// Sources are first moved above this number so the dup2 loop never
/// overwrites a source it still needs.
const HIGH_FD: i32 = 100;
/// Without close_range, the fds closed one by one: below the usual soft RLIMIT_NOFILE.
const FALLBACK_FD_LIMIT: u32 = 1024;
/// The kernel's signal mask: 64 bits, not glibc's 1024-bit sigset_t.
const KERNEL_SIGSET_SIZE: usize = 8;

/// Clone a child with `flags` (namespaces | exit signal) that execs `init`.
/// `fds[i]` becomes the child's fd i, inheritable; every other fd is closed
/// in the child, so nothing of kit's reaches the container. With
/// `die_with_parent` the child is SIGKILLed if kit dies (PDEATHSIG); without
/// it (kit-runtime create, which exits and leaves the container to its
/// caller's subreaper) the child outlives kit.
pub fn spawn(flags: u64, init: &str, fds: &[i32], die_with_parent: bool) -> SysResult {
    if fds.len() > MAX_FDS {
        return Err(libc::EINVAL);
    }
    let path = cstr(init)?;
    let argv0 = CString::new("kit-init").unwrap();
    let argv: [*const c_char; 2] = [argv0.as_ptr(), std::ptr::null()];
    // In a new user namespace the child first waits for its maps and becomes
    // root there (userns_child.rs); kit-init's argv says which calls it made.
    let with_groups = CString::new(userns_child::ARG_SETGROUPS).unwrap();
    let ids_only = CString::new(userns_child::ARG_IDS).unwrap();
    let userns_argv: Option<[[*const c_char; 3]; 2]> = (flags & libc::CLONE_NEWUSER as u64 != 0).then(|| {
        [
            [argv0.as_ptr(), ids_only.as_ptr(), std::ptr::null()],
            [argv0.as_ptr(), with_groups.as_ptr(), std::ptr::null()],
        ]
    });
    let envp: [*const c_char; 1] = [std::ptr::null()];
    let mut sources = [-1i32; MAX_FDS];
    sources[..fds.len()].copy_from_slice(fds);
    let count = fds.len();

    // A child that waits for its maps (user namespace) needs kit running meanwhile: a copy of kit's memory, as fork().
    let shares_memory = userns_argv.is_none();
    let args = vec![decode::clone_flags(flags)];
    traced("clone", args, || unsafe {
        // Signals stay blocked across clone(): until the child has dropped
        // Node's handlers, one delivered there (Ctrl-C, SIGWINCH) would run
        // libuv's handler in the child, on pipes shared with kit.
        let all: u64 = !0;
        let mut old: u64 = 0;
        set_mask(&all, &mut old);
        let child = Child { path: &path, argv: &argv, userns_argv: userns_argv.as_ref(), envp: &envp, sources: &sources[..count], die_with_parent, old_mask: old };
        let pid = if shares_memory {
            clone_vfork(flags, &child)
        } else {
            let pid = libc::syscall(SYS_clone, flags as i64, 0i64, 0i64, 0i64, 0i64);
            if pid == 0 {
                child.run();
            }
            pid
        };
        let errno = super::errno();
        set_mask(&old, std::ptr::null_mut());
        *libc::__errno_location() = errno; // clone's, for the trace
        pid as i64
    })
}

/** What the child needs, all built before clone(): it only reads it. */
struct Child<'a> {
    path: &'a CString,
    argv: &'a [*const c_char; 2],
    userns_argv: Option<&'a [[*const c_char; 3]; 2]>,
    envp: &'a [*const c_char; 1],
    sources: &'a [i32],
    die_with_parent: bool,
    old_mask: u64,
}

impl Child<'_> {
    /// In the child: Node's handlers dropped, the caller's signal mask back, then kit-init.
    unsafe fn run(&self) -> ! {
        default_handlers();
        set_mask(&self.old_mask, std::ptr::null_mut());
        child_exec(self.path, self.argv, self.userns_argv, self.envp, self.sources, self.die_with_parent)
    }
}

/// The child's own stack while it shares kit's memory (it only runs a few raw calls, then execve).
const VFORK_STACK: usize = 256 * 1024;

/// clone() with CLONE_VM | CLONE_VFORK, as posix_spawn does: the child runs
/// in kit's memory, on a stack of its own, and this thread sleeps until it
/// has exec'd kit-init (or died), so nothing of kit's can change under it.
/// A plain fork-like clone copies the page tables of all of Node's heap
/// (milliseconds for a big process), then makes each page kit writes to
/// before the child's exec a copy: here nothing is copied. Returns the pid,
/// or -1 with errno set, as clone(2).
unsafe fn clone_vfork(flags: u64, child: &Child) -> i64 {
    let stack = libc::mmap(std::ptr::null_mut(), VFORK_STACK, libc::PROT_READ | libc::PROT_WRITE, libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_STACK, -1, 0);
    if stack == libc::MAP_FAILED {
        return -1;
    }
    extern "C" fn start(arg: *mut libc::c_void) -> libc::c_int {
        unsafe { (*(arg as *const Child)).run() }
    }
    let top = (stack as *mut u8).add(VFORK_STACK) as *mut libc::c_void; // stacks grow down on every Linux architecture kit builds for
    let pid = libc::clone(start, top, (flags as i32) | libc::CLONE_VM | libc::CLONE_VFORK, child as *const Child as *mut libc::c_void);
    let errno = super::errno();
    libc::munmap(stack, VFORK_STACK); // the child has exec'd or exited: its stack is no longer used
    *libc::__errno_location() = errno;
    pid as i64
}

/// rt_sigprocmask(SIG_SETMASK) of the calling thread, raw: no lock, no allocation.
unsafe fn set_mask(mask: *const u64, old: *mut u64) {
    libc::syscall(SYS_rt_sigprocmask, SIG_SETMASK, mask, old, KERNEL_SIGSET_SIZE);
}

/// In the child: every handled signal back to its default (execve would do
/// it too, but only later); ignored ones stay ignored, as execve keeps them.
unsafe fn default_handlers() {
    for sig in 1..=64 {
        if libc::signal(sig, SIG_DFL) == SIG_IGN {
            libc::signal(sig, SIG_IGN);
        }
    }
}

/// Close every fd from `first` up: close_range(2), or one close(2) at a time
/// on kernels older than 5.9.
unsafe fn close_from(first: u32) {
    if libc::syscall(SYS_close_range, first, u32::MAX, 0u32) == 0 {
        return;
    }
    for fd in first..FALLBACK_FD_LIMIT {
        libc::close(fd as i32);
    }
}

/// Runs in the child only: raw syscalls on data prepared before clone().
unsafe fn child_exec(
    path: &CString,
    argv: &[*const c_char; 2],
    userns_argv: Option<&[[*const c_char; 3]; 2]>,
    envp: &[*const c_char; 1],
    sources: &[i32],
    die_with_parent: bool,
) -> ! {
    let mut high = [-1i32; MAX_FDS];
    for (i, fd) in sources.iter().enumerate() {
        high[i] = libc::fcntl(*fd, F_DUPFD_CLOEXEC, HIGH_FD);
        if high[i] < 0 {
            libc::_exit(125);
        }
    }
    // dup2 onto a different number clears O_CLOEXEC on the target: fds 0-2
    // from Node are O_CLOEXEC and would otherwise vanish at execve.
    for (i, fd) in high[..sources.len()].iter().enumerate() {
        if libc::dup2(*fd, i as i32) < 0 {
            libc::_exit(125);
        }
    }
    // The fds kit opened are O_CLOEXEC, but not those kit inherited from
    // whatever started it (a shell's, a CI runner's): a host directory fd
    // left open in a container is a way out of it (runc's CVE-2024-21626).
    close_from(sources.len() as u32);
    // If kit dies (even by kill -9) the container goes with it; the journal
    // undoes the host-side changes on the next kit command. Had kit died
    // before this line, no signal would come: so kit sends the plan only
    // after kit-init's first trace line (core/engine/run.ts).
    if die_with_parent {
        libc::prctl(PR_SET_PDEATHSIG, SIGKILL as libc::c_ulong);
    }
    let argv = match userns_argv {
        None => argv.as_ptr(),
        Some(pair) => match userns_child::become_root(CONTROL_FD) {
            Some(groups) => pair[groups as usize].as_ptr(),
            None => libc::_exit(125),
        },
    };
    libc::execve(path.as_ptr(), argv, envp.as_ptr());
    libc::_exit(127)
}

/// A child in a user namespace of its own that only waits to be killed
/// (pause(2); it dies with kit too): a namespace whose maps kit writes and
/// whose /proc/<pid>/ns/user fd it keeps, to idmap layer mounts
/// (mount_setattr.rs) before the container itself exists, as crun and
/// containerd do. Raw syscalls only in the child, as for `spawn`.
pub fn spawn_userns_holder() -> SysResult {
    let flags = libc::CLONE_NEWUSER as u64 | libc::SIGCHLD as u64;
    traced("clone", vec![decode::clone_flags(flags)], || unsafe {
        let all: u64 = !0;
        let mut old: u64 = 0;
        set_mask(&all, &mut old);
        let pid = libc::syscall(SYS_clone, flags as i64, 0i64, 0i64, 0i64, 0i64);
        if pid == 0 {
            libc::prctl(PR_SET_PDEATHSIG, SIGKILL as libc::c_ulong);
            loop {
                libc::pause();
            }
        }
        let errno = super::errno();
        set_mask(&old, std::ptr::null_mut());
        *libc::__errno_location() = errno;
        pid as i64
    })
}
