//! kill(2): how kit stops a container (SIGKILL to its PID 1 ends the whole
//! PID namespace).
use super::libc;
use super::{traced, SysResult};
use crate::decode::signal_name;

pub fn kill(pid: i32, sig: i32) -> SysResult {
    traced("kill", vec![pid.to_string(), signal_name(sig)], || unsafe { libc::kill(pid, sig) as i64 })
}

/// kill(2) untraced: `kit run --init` passes a signal on to its child after
/// the control socket, the trace's channel, has closed.
pub fn forward(pid: i32, sig: i32) {
    unsafe { libc::kill(pid, sig) };
}
