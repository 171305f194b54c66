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
