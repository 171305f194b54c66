//! The filesystem calls kit makes: mkdir/rmdir (cgroup dirs, mount points),
//! mknod and symlink (a container's /dev), and writing a small file in one
//! go (cgroup knobs, uid_map), traced as the write(2) that matters.
use super::libc::{self, O_CLOEXEC, O_WRONLY};
use super::{cstr, traced, SysResult};
use crate::decode::{file_mode, quoted};

pub fn mkdir(path: &str, mode: u32) -> SysResult {
    let c = cstr(path)?;
    traced("mkdir", vec![quoted(Some(path)), format!("0{:o}", mode)], || unsafe {
        libc::mkdir(c.as_ptr(), mode) as i64
    })
}

pub fn rmdir(path: &str) -> SysResult {
    let c = cstr(path)?;
    traced("rmdir", vec![quoted(Some(path))], || unsafe { libc::rmdir(c.as_ptr()) as i64 })
}

pub fn mknod(path: &str, mode: u32, major: u32, minor: u32) -> SysResult {
    let c = cstr(path)?;
    let dev = libc::makedev(major, minor);
    let args = vec![quoted(Some(path)), file_mode(mode), format!("makedev({}, {})", major, minor)];
    traced("mknod", args, || unsafe { libc::mknod(c.as_ptr(), mode, dev) as i64 })
}

/// chmod(2): mknod and mkdir honour the umask, a device node's mode must not.
pub fn chmod(path: &str, mode: u32) -> SysResult {
    let c = cstr(path)?;
    traced("chmod", vec![quoted(Some(path)), format!("0{:o}", mode)], || unsafe { libc::chmod(c.as_ptr(), mode) as i64 })
}

pub fn symlink(target: &str, linkpath: &str) -> SysResult {
    let (t, l) = (cstr(target)?, cstr(linkpath)?);
    traced("symlink", vec![quoted(Some(target)), quoted(Some(linkpath))], || unsafe {
        libc::symlink(t.as_ptr(), l.as_ptr()) as i64
    })
}

/// open(path, O_WRONLY) + one write(2) + close. Kernel knobs (cgroup files,
/// /proc/<pid>/uid_map) must get their value in a single write, so a short
/// write is an error here. The trace shows the write, with the path for fd.
pub fn write_file(path: &str, data: &str) -> SysResult {
    let c = cstr(path)?;
    // Rendered before open(): an allocation in between could change errno.
    let args = vec![quoted(Some(path)), quoted(Some(data)), data.len().to_string()];
    let fd = unsafe { libc::open(c.as_ptr(), O_WRONLY | O_CLOEXEC) };
    if fd < 0 {
        return traced("write", args, || -1);
    }
    let result = traced("write", args, || unsafe {
        libc::write(fd, data.as_ptr() as *const _, data.len()) as i64
    });
    unsafe { libc::close(fd) };
    result
}
