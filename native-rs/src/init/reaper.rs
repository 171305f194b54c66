//! `kit run --init`: a tiny init as PID 1, what Docker's --init (tini) does.
//! A command that is PID 1 itself gets no default action for SIGTERM or
//! SIGINT (the kernel protects a namespace's init) and must reap orphans it
//! never knew about, or they stay zombies. Here kit-init forks: the child
//! goes on to exec the command; this process stays PID 1, passes every
//! signal it receives on to the child, reaps every process that exits in the
//! namespace, and when the child itself exits, exits as it did.
use kit_native::sys::{self, libc};

pub fn reaper(control_fd: i32) -> sys::SysResult {
    // Blocked before the fork, so no signal slips in between; the child restores the mask.
    let saved = sys::signals::block_all()?;
    let child = sys::fork::fork()?;
    if child == 0 {
        sys::signals::set_mask(&saved)?;
        return Ok(0);
    }
    sys::fds::close_untraced(control_fd); // the host sees EOF when the child execs
    let child = child as i32;
    loop {
        let signal = sys::signals::wait_any();
        if signal != libc::SIGCHLD {
            // The child may be gone already (ESRCH): then the SIGCHLD below ends the loop.
            sys::kill::forward(child, signal);
            continue;
        }
        while let Some((pid, status)) = sys::signals::reap_one() {
            if pid == child {
                sys::signals::exit_as(status);
            }
        }
    }
}
