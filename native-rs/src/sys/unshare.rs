//! unshare(2): move the calling process into new namespaces. kit-init uses it
//! for the cgroup namespace, which must be created after the host has placed
//! the process in its cgroup (the namespace's root is the cgroup at that time).
use super::libc;
use super::{traced, SysResult};
use crate::decode::clone_flags;

pub fn unshare(flags: u64) -> SysResult {
    traced("unshare", vec![clone_flags(flags)], || unsafe { libc::unshare(flags as i32) as i64 })
}
