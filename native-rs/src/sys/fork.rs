//! fork(2), for kit-init only (single-threaded, so a plain fork is safe).
//! After setns() into a PID namespace only children are inside it, so
//! `kit exec` forks: the child runs the command in the container's PID
//! namespace, the parent stays behind to pass on its exit status.
use super::libc::{self, EINTR, PR_SET_PDEATHSIG, SIGKILL};
use super::{errno, traced, SysResult};

/// Ok(0) in the child, Ok(pid) in the parent.
pub fn fork() -> SysResult {
    let result = traced("fork", vec![], || unsafe { libc::fork() as i64 });
    if result == Ok(0) {
        // If the waiting parent is killed (kit stopped the exec), so is the child.
        unsafe { libc::prctl(PR_SET_PDEATHSIG, SIGKILL as libc::c_ulong) };
    }
    result
}

/// Wait for `pid` and return its raw wait status (untraced: the host traces its own wait4).
pub fn wait_status(pid: i32) -> i32 {
    let mut status = 0;
    while unsafe { libc::wait4(pid, &mut status, 0, std::ptr::null_mut()) } == -1 && errno() == EINTR {}
    status
}
