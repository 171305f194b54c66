//! open_tree(2) (Linux 5.2, the new mount API): a mount as an fd. With
//! OPEN_TREE_CLONE it is a detached copy of the mount at a path, a bind
//! mount attached nowhere yet, which mount_setattr(2) may still change
//! before move_mount(2) puts it in place. How kit makes an idmapped layer.
use super::libc::{self, AT_FDCWD, OPEN_TREE_CLOEXEC, OPEN_TREE_CLONE, SYS_open_tree};
use super::{cstr, traced, SysResult};
use crate::decode::quoted;

/// open_tree(AT_FDCWD, path, OPEN_TREE_CLONE|OPEN_TREE_CLOEXEC): the new detached mount's fd.
pub fn open_tree_clone(path: &str) -> SysResult {
    let c = cstr(path)?;
    let args = vec!["AT_FDCWD".into(), quoted(Some(path)), "OPEN_TREE_CLONE|OPEN_TREE_CLOEXEC".into()];
    traced("open_tree", args, || unsafe { libc::syscall(SYS_open_tree, AT_FDCWD, c.as_ptr(), OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC) })
}
