//! ptrace(2), for one thing only: holding the container's command at its
//! first instruction, so the host sees the command itself (not kit-init)
//! while a chapter takes its "Host during" view. kit-init asks to be traced
//! by its parent (PTRACE_TRACEME, the thread of kit that cloned it); after a
//! successful execve the kernel stops it with SIGTRAP; kit looks, then lets
//! it go (PTRACE_DETACH with no signal), and it runs as if never traced.
use super::libc;
use super::{traced, SysResult};

pub fn traceme() -> SysResult {
    let args = ["PTRACE_TRACEME", "0", "NULL", "NULL"].map(String::from).to_vec();
    traced("ptrace", args, || unsafe { libc::ptrace(libc::PTRACE_TRACEME, 0, std::ptr::null_mut::<libc::c_void>(), std::ptr::null_mut::<libc::c_void>()) as i64 })
}

/// Only the thread that is the tracer (the one that cloned the child) may call it.
pub fn detach(pid: i32) -> SysResult {
    let args = vec!["PTRACE_DETACH".into(), pid.to_string(), "NULL".into(), "0".into()];
    traced("ptrace", args, || unsafe { libc::ptrace(libc::PTRACE_DETACH, pid, std::ptr::null_mut::<libc::c_void>(), std::ptr::null_mut::<libc::c_void>()) as i64 })
}
