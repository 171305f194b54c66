//! open(2) of a directory, kept under a chosen fd number so later plan steps
//! can name it. `kit exec` opens the container's root (/proc/<pid>/root)
//! while still in the host's mount namespace: after setns() into the
//! container's mount namespace that path may no longer lead there, but an
//! open fd still does (then fchdir + chroot("."), as nsenter --root does).
use super::libc::{self, O_CLOEXEC, O_DIRECTORY, O_RDONLY};
use super::{cstr, traced, SysResult};
use crate::decode::quoted;

pub fn open_dir_as(path: &str, fd: i32) -> SysResult {
    let opened = open_dir(path)? as i32;
    if opened == fd {
        return Ok(fd as i64);
    }
    let args = vec![opened.to_string(), fd.to_string(), "O_CLOEXEC".into()];
    let result = traced("dup3", args, || unsafe { libc::dup3(opened, fd, O_CLOEXEC) as i64 });
    super::fds::close_untraced(opened);
    result
}

/// open(2) of a directory, read-only, close-on-exec: a directory to name by
/// fd (a cgroup for bpf(BPF_PROG_ATTACH), a root to come back to).
pub fn open_dir(path: &str) -> SysResult {
    let c = cstr(path)?;
    let args = vec![quoted(Some(path)), "O_RDONLY|O_DIRECTORY|O_CLOEXEC".into()];
    traced("open", args, || unsafe { libc::open(c.as_ptr(), O_RDONLY | O_DIRECTORY | O_CLOEXEC) as i64 })
}

/// open(2) of a terminal device (/dev/ptmx, /dev/pts/N): read-write, and
/// O_NOCTTY so opening it does not make it anyone's controlling terminal
/// by accident (TIOCSCTTY does that, on purpose).
pub fn open_tty(path: &str) -> SysResult {
    let c = cstr(path)?;
    let args = vec![quoted(Some(path)), "O_RDWR|O_NOCTTY|O_CLOEXEC".into()];
    traced("open", args, || unsafe { ::libc::open(c.as_ptr(), ::libc::O_RDWR | ::libc::O_NOCTTY | ::libc::O_CLOEXEC) as i64 })
}

/// open(2) for writing only, close-on-exec. On a FIFO this blocks until a
/// reader opens the other end: kit-runtime's exec.fifo (reopened through
/// /proc/self/fd/N, as runc init does) holds the container there until
/// `kit-runtime start`.
pub fn open_write(path: &str) -> SysResult {
    let c = cstr(path)?;
    let args = vec![quoted(Some(path)), "O_WRONLY|O_CLOEXEC".into()];
    traced("open", args, || loop {
        let fd = unsafe { libc::open(c.as_ptr(), libc::O_WRONLY | O_CLOEXEC) };
        if fd < 0 && super::errno() == libc::EINTR {
            continue;
        }
        break fd as i64;
    })
}

/// open(2) read-only, close-on-exec: a namespace file (/proc/<pid>/ns/user)
/// held as an fd, which mount_setattr(MOUNT_ATTR_IDMAP) takes.
pub fn open_read(path: &str) -> SysResult {
    let c = cstr(path)?;
    let args = vec![quoted(Some(path)), "O_RDONLY|O_CLOEXEC".into()];
    traced("open", args, || unsafe { libc::open(c.as_ptr(), O_RDONLY | O_CLOEXEC) as i64 })
}
