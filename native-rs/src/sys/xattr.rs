//! lsetxattr(2) / lgetxattr(2): extended attributes, never following a
//! symlink. overlayfs marks an opaque directory (one that hides everything
//! below it) with trusted.overlay.opaque = "y".
use super::libc;
use super::{cstr, traced, SysResult};
use crate::decode::quoted;

pub fn setxattr(path: &str, name: &str, value: &str) -> SysResult {
    let (p, n) = (cstr(path)?, cstr(name)?);
    let args = vec![quoted(Some(path)), quoted(Some(name)), quoted(Some(value)), value.len().to_string(), "0".into()];
    traced("lsetxattr", args, || unsafe {
        libc::lsetxattr(p.as_ptr(), n.as_ptr(), value.as_ptr() as *const _, value.len(), 0) as i64
    })
}

/// The attribute's value, or Err(errno) (ENODATA when it is not set).
pub fn getxattr(path: &str, name: &str) -> Result<String, i32> {
    let (p, n) = (cstr(path)?, cstr(name)?);
    let mut buf = vec![0u8; 4096];
    let args = vec![quoted(Some(path)), quoted(Some(name)), "[value]".into(), buf.len().to_string()];
    let len = traced("lgetxattr", args, || unsafe {
        libc::lgetxattr(p.as_ptr(), n.as_ptr(), buf.as_mut_ptr() as *mut _, buf.len()) as i64
    })?;
    buf.truncate(len as usize);
    Ok(String::from_utf8_lossy(&buf).into_owned())
}
