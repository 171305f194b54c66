//! chroot(2) and chdir(2): change what "/" and "." mean for this process.
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
