//! The ioctl(2) calls of a pseudo-terminal, one wrapper each: unlock a new
//! pty (TIOCSPTLCK), ask its number (TIOCGPTN), make it the controlling
//! terminal of the caller's session (TIOCSCTTY), set its window size
//! (TIOCSWINSZ). Like runc's console, `kit run -t` allocates the pty inside
//! the container's own devpts, so `tty` there names /dev/pts/0.
use super::{traced, traced_out, SysResult};

pub fn unlockpt(fd: i32) -> SysResult {
    let unlock: ::libc::c_int = 0;
    traced("ioctl", vec![fd.to_string(), "TIOCSPTLCK".into(), "[0]".into()], || unsafe {
        ::libc::ioctl(fd, ::libc::TIOCSPTLCK, &unlock as *const ::libc::c_int) as i64
    })
}

/// The pty's number: its slave is /dev/pts/<n> in the devpts it came from.
pub fn ptsname(fd: i32) -> Result<u32, i32> {
    let n = std::cell::Cell::new(0 as ::libc::c_uint);
    traced_out(
        "ioctl",
        || unsafe { ::libc::ioctl(fd, ::libc::TIOCGPTN, n.as_ptr()) as i64 },
        |ok| vec![fd.to_string(), "TIOCGPTN".into(), if ok { format!("[{}]", n.get()) } else { "0x...".into() }],
    )?;
    Ok(n.get())
}

/// Make `fd` the controlling terminal of the caller's new session: Ctrl-C
/// typed on it then signals the session's foreground process group.
pub fn set_controlling_terminal(fd: i32) -> SysResult {
    traced("ioctl", vec![fd.to_string(), "TIOCSCTTY".into(), "0".into()], || unsafe {
        ::libc::ioctl(fd, ::libc::TIOCSCTTY, 0 as ::libc::c_int) as i64
    })
}

/// The terminal's size in characters; the kernel sends SIGWINCH to its
/// foreground process group when it changes.
pub fn set_window_size(fd: i32, rows: u16, cols: u16) -> SysResult {
    let size = ::libc::winsize { ws_row: rows, ws_col: cols, ws_xpixel: 0, ws_ypixel: 0 };
    let args = vec![fd.to_string(), "TIOCSWINSZ".into(), format!("{{ws_row={}, ws_col={}}}", rows, cols)];
    traced("ioctl", args, || unsafe { ::libc::ioctl(fd, ::libc::TIOCSWINSZ, &size as *const ::libc::winsize) as i64 })
}

/// Give the terminal to the user the command runs as (`-u`), keeping its
/// group (tty, from devpts' gid=5), as runc fixes the stdio of its process:
/// the slave is created owned by whoever opened it (root, here), and the
/// user could not reopen its own terminal (/dev/tty, /proc/self/fd/0).
pub fn set_owner(fd: i32, uid: u32) -> SysResult {
    traced("fchown", vec![fd.to_string(), uid.to_string(), "-1".into()], || unsafe {
        ::libc::fchown(fd, uid, u32::MAX) as i64
    })
}
