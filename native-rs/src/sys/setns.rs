//! setns(2): join an existing namespace through its /proc/<pid>/ns/<type>
//! file. How `kit exec` enters a running container and how
//! `--network container:<name>` shares another container's network.
//! Joining a PID namespace affects only the caller's future children (see
//! the `fork` op in kit-init).
use super::libc::{self, O_CLOEXEC, O_RDONLY};
use super::{cstr, traced, SysResult};
use crate::decode::{clone_flags, quoted};

pub fn setns(path: &str, nstype: u64) -> SysResult {
    let c = cstr(path)?;
    // Rendered before open(): an allocation in between could change errno.
    let args = vec![format!("open({})", quoted(Some(path))), clone_flags(nstype)];
    let fd = unsafe { libc::open(c.as_ptr(), O_RDONLY | O_CLOEXEC) };
    if fd < 0 {
        return traced("setns", args, || -1);
    }
    let result = traced("setns", args, || unsafe { libc::setns(fd, nstype as i32) as i64 });
    unsafe { libc::close(fd) };
    result
}

/// setns(2) through an fd already open on a namespace file: how kit's own
/// thread goes back to the PID namespace it had for its children, opened
/// before it joined a container's (see core/engine/pid-join.ts).
pub fn setns_fd(fd: i32, nstype: u64) -> SysResult {
    traced("setns", vec![fd.to_string(), clone_flags(nstype)], || unsafe { libc::setns(fd, nstype as i32) as i64 })
}
