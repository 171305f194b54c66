//! pipe2(2), socketpair(2), close(2): the channels between kit and a container
//! (its stdio, and the control socket that carries the plan in and the trace out).
use super::libc::{self, AF_UNIX, O_CLOEXEC, SOCK_CLOEXEC, SOCK_STREAM};
use super::{traced, SysResult};

/// Both ends O_CLOEXEC: only fds handed to clone::spawn reach the child.
pub fn pipe() -> Result<[i32; 2], i32> {
    let mut fds = [-1i32; 2];
    traced("pipe2", vec!["[r, w]".into(), "O_CLOEXEC".into()], || unsafe {
        libc::pipe2(fds.as_mut_ptr(), O_CLOEXEC) as i64
    })?;
    Ok(fds)
}

pub fn socketpair() -> Result<[i32; 2], i32> {
    let mut fds = [-1i32; 2];
    let args = vec!["AF_UNIX".into(), "SOCK_STREAM|SOCK_CLOEXEC".into(), "0".into(), "[a, b]".into()];
    traced("socketpair", args, || unsafe {
        libc::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds.as_mut_ptr()) as i64
    })?;
    Ok(fds)
}

pub fn close(fd: i32) -> SysResult {
    traced("close", vec![fd.to_string()], || unsafe { libc::close(fd) as i64 })
}

/// Block until the host sends the whole plan (up to its `end` line) on `fd`.
/// This read is the container's half of the synchronisation: it returns only
/// when the host has finished its own steps (cgroup, uid_map, veth).
pub fn read_plan(fd: i32) -> Result<String, i32> {
    let mut data: Vec<u8> = Vec::new();
    let args = vec![fd.to_string(), "<plan>".into(), "until \"end\"".into()];
    traced("read", args, || loop {
        let mut buf = [0u8; 4096];
        let n = unsafe { libc::read(fd, buf.as_mut_ptr() as *mut _, buf.len()) };
        if n < 0 && super::errno() == libc::EINTR {
            continue;
        }
        if n < 0 {
            break -1;
        }
        data.extend_from_slice(&buf[..n as usize]);
        if n == 0 || data.ends_with(b"\nend\n") || data == b"end\n" {
            break data.len() as i64;
        }
    })?;
    String::from_utf8(data).map_err(|_| 22)
}

/// Mark `fd` close-on-exec, so the host sees it close when execve succeeds.
pub fn set_cloexec(fd: i32) {
    unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) };
}

/// close(2) untraced: the trace's own channel (the control socket, closed
/// so the host sees EOF), or an fd a wrapper closes as housekeeping.
pub fn close_untraced(fd: i32) {
    unsafe { libc::close(fd) };
}
