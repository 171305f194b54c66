//! pivot_root(2): make `new_root` the root of this mount namespace and move
//! the old root to `put_old`, so it can be unmounted entirely (unlike chroot).
use super::libc::{self, SYS_pivot_root};
use super::{cstr, traced, SysResult};
use crate::decode::quoted;

pub fn pivot_root(new_root: &str, put_old: &str) -> SysResult {
    let (c_new, c_old) = (cstr(new_root)?, cstr(put_old)?);
    let args = vec![quoted(Some(new_root)), quoted(Some(put_old))];
    traced("pivot_root", args, || unsafe {
        libc::syscall(SYS_pivot_root, c_new.as_ptr(), c_old.as_ptr()) as i64
    })
}
