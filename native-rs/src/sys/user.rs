//! The user the container's command runs as (an OCI config's process.user):
//! supplementary groups, then gid, then uid, as runc sets them. Changing uid
//! away from 0 clears the capabilities unless PR_SET_KEEPCAPS is set (prctl.rs): it is,
//! for the change only, so the capset that follows can still grant what the
//! config lists.
use super::libc;
use super::{traced, SysResult};

pub fn setgroups(groups: &[u32]) -> SysResult {
    let list: Vec<libc::gid_t> = groups.iter().map(|g| *g as libc::gid_t).collect();
    let shown = format!("[{}]", groups.iter().map(|g| g.to_string()).collect::<Vec<_>>().join(", "));
    traced("setgroups", vec![groups.len().to_string(), shown], || unsafe {
        libc::syscall(libc::SYS_setgroups, list.len(), list.as_ptr()) as i64
    })
}

/// The raw syscalls, not glibc's wrappers: those would broadcast the change
/// to every thread with signals (kit-init has one thread anyway).
pub fn setresgid(gid: u32) -> SysResult {
    traced("setresgid", vec![gid.to_string(); 3], || unsafe { libc::syscall(libc::SYS_setresgid, gid, gid, gid) as i64 })
}

pub fn setresuid(uid: u32) -> SysResult {
    traced("setresuid", vec![uid.to_string(); 3], || unsafe { libc::syscall(libc::SYS_setresuid, uid, uid, uid) as i64 })
}
