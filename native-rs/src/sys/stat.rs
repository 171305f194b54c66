//! stat(2), reduced to what identifies a directory: its device and inode.
//! Two paths name the same directory when both match (how `..` is seen to
//! have stopped going up).
use super::libc;
use super::{cstr, traced};
use crate::decode::quoted;

/// (st_dev, st_ino): the first two fields of struct stat on x86_64 and aarch64.
pub type FileId = (u64, u64);

pub fn stat(path: &str) -> Result<FileId, i32> {
    let c = cstr(path)?;
    // struct stat is 144 bytes on x86_64, 128 on aarch64.
    let mut buf = [0u64; 18];
    traced("stat", vec![quoted(Some(path)), "{st_dev, st_ino, ...}".into()], || unsafe {
        libc::stat(c.as_ptr(), buf.as_mut_ptr() as *mut _) as i64
    })?;
    Ok((buf[0], buf[1]))
}
