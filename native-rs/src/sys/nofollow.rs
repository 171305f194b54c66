//! fchmodat(2) with AT_SYMLINK_NOFOLLOW: set a mode on the path itself,
//! never on what a symlink there points at. Extracting an image layer applies
//! each entry's mode this way, so a hostile tar that puts a symlink (or a hard
//! link to one) where a file was cannot make chmod land on a host file.
//! glibc does it as the kernel lets it (fchmodat2, or an O_PATH|O_NOFOLLOW fd
//! and /proc/self/fd); on a symlink it fails with EOPNOTSUPP.
use super::libc::{self, AT_FDCWD, AT_SYMLINK_NOFOLLOW};
use super::{cstr, traced, SysResult};
use crate::decode::quoted;

pub fn lchmod(path: &str, mode: u32) -> SysResult {
    let c = cstr(path)?;
    let args = vec!["AT_FDCWD".into(), quoted(Some(path)), format!("0{:o}", mode), "AT_SYMLINK_NOFOLLOW".into()];
    traced("fchmodat", args, || unsafe { libc::fchmodat(AT_FDCWD, c.as_ptr(), mode, AT_SYMLINK_NOFOLLOW) as i64 })
}
