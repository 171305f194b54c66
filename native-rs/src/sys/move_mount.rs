//! move_mount(2) (Linux 5.2): attach a mount held as an fd (open_tree's
//! detached clone) at a path: the new mount API's last step, where the old
//! mount(2) did everything in one call.
use super::libc::{self, AT_FDCWD, MOVE_MOUNT_F_EMPTY_PATH, SYS_move_mount};
use super::{cstr, traced, SysResult};
use crate::decode::quoted;

/// move_mount(fd, "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH).
pub fn attach(fd: i32, target: &str) -> SysResult {
    let c = cstr(target)?;
    let args = vec![fd.to_string(), "\"\"".into(), "AT_FDCWD".into(), quoted(Some(target)), "MOVE_MOUNT_F_EMPTY_PATH".into()];
    traced("move_mount", args, || unsafe {
        libc::syscall(SYS_move_mount, fd, c"".as_ptr(), AT_FDCWD, c.as_ptr(), MOVE_MOUNT_F_EMPTY_PATH)
    })
}
