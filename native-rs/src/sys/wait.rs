//! wait4(2): reap the container's first process and learn how it ended.
use super::libc::{self, EINTR};
use super::{errno, traced};

pub struct Exit {
    /// The raw wait status, decoded by the caller (exit code or signal).
    pub status: i32,
    pub ret: i64,
    pub errno: Option<i32>,
}

/// Blocks: callers run it off Node's main thread (an N-API async work item).
pub fn wait4(pid: i32) -> Exit {
    let mut status = 0i32;
    let result = traced("wait4", vec![pid.to_string(), "[status]".into(), "0".into(), "NULL".into()], || loop {
        let r = unsafe { libc::wait4(pid, &mut status, 0, std::ptr::null_mut()) };
        if r == -1 && errno() == EINTR {
            continue;
        }
        // A command held at its exec (sys/ptrace.rs) reports that stop to
        // every thread of its tracer's process: not its end, the host's main
        // thread lets it go.
        if r == pid && libc::WIFSTOPPED(status) {
            continue;
        }
        break r as i64;
    });
    match result {
        Ok(ret) => Exit { status, ret, errno: None },
        Err(e) => Exit { status, ret: -1, errno: Some(e) },
    }
}
