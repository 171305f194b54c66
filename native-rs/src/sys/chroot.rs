//! chroot(2), chdir(2) and fchdir(2): change what "/" and "." mean for this process.
use super::libc;
use super::{cstr, traced, SysResult};
use crate::decode::quoted;

pub fn chroot(path: &str) -> SysResult {
    let c = cstr(path)?;
    traced("chroot", vec![quoted(Some(path))], || unsafe { libc::chroot(c.as_ptr()) as i64 })
}

pub fn chdir(path: &str) -> SysResult {
    let c = cstr(path)?;
    traced("chdir", vec![quoted(Some(path))], || unsafe { libc::chdir(c.as_ptr()) as i64 })
}

pub fn fchdir(fd: i32) -> SysResult {
    traced("fchdir", vec![fd.to_string()], || unsafe { libc::fchdir(fd) as i64 })
}
