//! mount_setattr(2) (Linux 5.12): change a mount's attributes. With
//! MOUNT_ATTR_IDMAP and a user namespace's fd, the mount shows every file
//! through that namespace's maps: a file owned by uid 0 on disk is owned by
//! whatever uid the map puts at 0 (100000), and a write by that uid lands on
//! disk as 0. Only on a detached mount (open_tree's clone) that was never
//! idmapped, and only on filesystems that allow it (ext4, xfs, btrfs, tmpfs
//! since 6.3...): EINVAL otherwise.
use super::libc::{self, mount_attr, AT_EMPTY_PATH, MOUNT_ATTR_IDMAP, SYS_mount_setattr};
use super::{traced, SysResult};

/// mount_setattr(fd, "", AT_EMPTY_PATH, {attr_set=MOUNT_ATTR_IDMAP, userns_fd}, sizeof).
pub fn set_idmap(fd: i32, userns_fd: i32) -> SysResult {
    let attr = mount_attr { attr_set: MOUNT_ATTR_IDMAP, attr_clr: 0, propagation: 0, userns_fd: userns_fd as u64 };
    let size = std::mem::size_of::<mount_attr>();
    let args = vec![
        fd.to_string(),
        "\"\"".into(),
        "AT_EMPTY_PATH".into(),
        format!("{{attr_set=MOUNT_ATTR_IDMAP, userns_fd={}}}", userns_fd),
        size.to_string(),
    ];
    traced("mount_setattr", args, || unsafe {
        libc::syscall(SYS_mount_setattr, fd, c"".as_ptr(), AT_EMPTY_PATH, &attr as *const mount_attr, size)
    })
}
