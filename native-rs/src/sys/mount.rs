//! mount(2) and umount2(2): what a mount namespace isolates.
use super::libc;
use super::{cstr, ptr_or_null, traced, SysResult};
use crate::decode::{flags, quoted, MOUNT_FLAGS, UMOUNT_FLAGS};

/// mount(source, target, fstype, flags, data). Empty strings stand for NULL.
pub fn mount(source: &str, target: &str, fstype: &str, mount_flags: u64, data: &str) -> SysResult {
    let opt = |s: &str| if s.is_empty() { None } else { Some(s.to_string()) };
    let (source, fstype, data) = (opt(source), opt(fstype), opt(data));
    let args = vec![
        quoted(source.as_deref()),
        quoted(Some(target)),
        quoted(fstype.as_deref()),
        flags(mount_flags, MOUNT_FLAGS),
        quoted(data.as_deref()),
    ];
    let c_source = source.as_deref().map(cstr).transpose()?;
    let c_fstype = fstype.as_deref().map(cstr).transpose()?;
    let c_data = data.as_deref().map(cstr).transpose()?;
    let c_target = cstr(target)?;
    traced("mount", args, || unsafe {
        libc::mount(
            ptr_or_null(&c_source),
            c_target.as_ptr(),
            ptr_or_null(&c_fstype),
            mount_flags as _,
            ptr_or_null(&c_data) as *const _,
        ) as i64
    })
}

pub fn umount2(target: &str, umount_flags: i32) -> SysResult {
    let c_target = cstr(target)?;
    let args = vec![quoted(Some(target)), flags(umount_flags as u64, UMOUNT_FLAGS)];
    traced("umount2", args, || unsafe { libc::umount2(c_target.as_ptr(), umount_flags) as i64 })
}
