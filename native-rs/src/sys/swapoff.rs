//! swapoff(2): stop swapping to a file or device. kit never swaps anything
//! off: the seccomp chapter calls it on a path that does not exist, a call
//! Docker's profile blocks whatever the capabilities. Past the filter the
//! kernel answers ENOENT (it looked for the file); stopped by it, EPERM.
use super::{cstr, traced, SysResult};
use crate::decode::quoted;

pub fn swapoff(path: &str) -> SysResult {
    let c = cstr(path)?;
    traced("swapoff", vec![quoted(Some(path))], || unsafe { ::libc::swapoff(c.as_ptr()) as i64 })
}
