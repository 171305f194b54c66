//! `kit run -t`: the container's terminal, made the way runc makes one. The
//! pty is allocated in the container's own devpts (so `tty` inside names
//! /dev/pts/0), its master is sent to kit over the console socket, and the
//! slave becomes this process's controlling terminal and its stdin, stdout
//! and stderr; the command exec'd next inherits all of it.
use kit_native::sys;

/// `console <socket fd> <rows> <cols> [owner uid]`.
pub fn console(sock: i32, rows: u16, cols: u16, owner: Option<u32>) -> sys::SysResult {
    let master = sys::open::open_tty("/dev/ptmx")? as i32;
    sys::tty::unlockpt(master)?;
    let n = sys::tty::ptsname(master)?;
    let slave = sys::open::open_tty(&format!("/dev/pts/{}", n))? as i32;
    if rows > 0 && cols > 0 {
        sys::tty::set_window_size(slave, rows, cols)?;
    }
    if let Some(uid) = owner {
        sys::tty::set_owner(slave, uid)?;
    }
    sys::fd_passing::send_fd(sock, master)?;
    sys::fds::close(master)?;
    sys::fds::close(sock)?; // kit sees EOF on it: nothing more comes
    sys::setsid::setsid()?;
    sys::tty::set_controlling_terminal(slave)?;
    for fd in 0..3 {
        sys::dup2::dup2(slave, fd)?;
    }
    sys::fds::close(slave)
}
