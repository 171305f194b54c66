//! stat(2), reduced to what identifies a directory: its device and inode.
//! Two paths name the same directory when both match (how `..` is seen to
//! have stopped going up).
use super::libc;
use super::{cstr, traced_out};
use crate::decode::quoted;

/// (st_dev, st_ino): the first two fields of struct stat on x86_64 and aarch64.
pub type FileId = (u64, u64);

pub fn stat(path: &str) -> Result<FileId, i32> {
    let c = cstr(path)?;
    // struct stat is 144 bytes on x86_64, 128 on aarch64.
    let mut buf = [0u64; 18];
    let out = buf.as_mut_ptr();
    traced_out(
        "stat",
        || unsafe { libc::stat(c.as_ptr(), out as *mut _) as i64 },
        |ok| {
            let ids = unsafe { (*out, *out.add(1)) };
            let result = if ok { format!("{{st_dev={}, st_ino={}, ...}}", ids.0, ids.1) } else { "0x...".into() };
            vec![quoted(Some(path)), result]
        },
    )?;
    Ok((buf[0], buf[1]))
}
