//! stat(2), reduced to what identifies a directory: its device and inode.
//! Two paths name the same directory when both match (how `..` is seen to
//! have stopped going up).
use super::libc;
use super::{cstr, traced_out};
use crate::decode::quoted;

/// (st_dev, st_ino).
pub type FileId = (u64, u64);

pub fn stat(path: &str) -> Result<FileId, i32> {
    let c = cstr(path)?;
    // SAFETY: struct stat is plain data; all zeroes is a valid value.
    let mut buf: libc::stat = unsafe { std::mem::zeroed() };
    let out: *mut libc::stat = &mut buf;
    traced_out(
        "stat",
        || unsafe { libc::stat(c.as_ptr(), out) as i64 },
        |ok| {
            let ids = unsafe { ((*out).st_dev, (*out).st_ino) };
            let result = if ok { format!("{{st_dev={}, st_ino={}, ...}}", ids.0, ids.1) } else { "0x...".into() };
            vec![quoted(Some(path)), result]
        },
    )?;
    Ok((buf.st_dev, buf.st_ino))
}
