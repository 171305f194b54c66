//! rt_sigprocmask(2) and rt_sigtimedwait(2), for `kit run --init`'s reaper
//! (src/init/reaper.rs): it blocks every signal and takes them one by one.
use super::libc;
use super::{errno, traced, SysResult};

/// Block every signal; returns the mask that was in place (the child restores it).
pub fn block_all() -> Result<libc::sigset_t, i32> {
    unsafe {
        let mut all: libc::sigset_t = std::mem::zeroed();
        let mut old: libc::sigset_t = std::mem::zeroed();
        libc::sigfillset(&mut all);
        traced("rt_sigprocmask", vec!["SIG_BLOCK".into(), "~[]".into(), "[old]".into(), "8".into()], || {
            libc::sigprocmask(libc::SIG_BLOCK, &all, &mut old) as i64
        })?;
        Ok(old)
    }
}

pub fn set_mask(mask: &libc::sigset_t) -> SysResult {
    traced("rt_sigprocmask", vec!["SIG_SETMASK".into(), "[saved]".into(), "NULL".into(), "8".into()], || unsafe {
        libc::sigprocmask(libc::SIG_SETMASK, mask, std::ptr::null_mut()) as i64
    })
}

/// The next pending signal (untraced: the reaper waits here for the container's whole life).
pub fn wait_any() -> i32 {
    unsafe {
        let mut all: libc::sigset_t = std::mem::zeroed();
        libc::sigfillset(&mut all);
        loop {
            let sig = libc::sigwaitinfo(&all, std::ptr::null_mut());
            if sig > 0 || errno() != libc::EINTR {
                return sig;
            }
        }
    }
}

/// Reap one exited child without blocking: Some((pid, status)), or None when none is left exited.
pub fn reap_one() -> Option<(i32, i32)> {
    let mut status = 0;
    let pid = unsafe { libc::waitpid(-1, &mut status, libc::WNOHANG) };
    if pid > 0 {
        Some((pid, status))
    } else {
        None
    }
}

/// rt_sigaction(sig, SIG_DFL), untraced: kit-init gives the command the
/// default action back for signals Node ignores (SIGPIPE, SIGXFSZ), which
/// an ignored signal would otherwise keep across execve.
pub fn reset_to_default(sig: i32) {
    unsafe { libc::signal(sig, libc::SIG_DFL) };
}

/// End this process as a child ended: of the same signal (reset to its
/// default action first: it may have been inherited ignored, as under
/// nohup), or, should that return, with 128 + the signal, as a shell
/// reports it; else with the child's exit code.
pub fn exit_as(status: i32) -> ! {
    if libc::WIFSIGNALED(status) {
        let signal = libc::WTERMSIG(status);
        reset_to_default(signal);
        unsafe {
            libc::raise(signal);
            libc::_exit(128 + signal)
        }
    }
    unsafe { libc::_exit(libc::WEXITSTATUS(status)) }
}
