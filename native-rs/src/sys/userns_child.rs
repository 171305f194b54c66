//! The clone child's part of a new user namespace, between clone() and the
//! execve of kit-init (see clone.rs: raw syscalls only, nothing allocated).
//!
//! clone(CLONE_NEWUSER) gives the child every capability in the new
//! namespace, but with no id mapped it is nobody there, and execve keeps
//! capabilities only for the namespace's root: kit-init exec'd now would
//! have none. So the child waits until the host has written uid_map and
//! gid_map and says so with one byte on the control socket, then makes
//! itself root of the namespace (setgroups, setresgid, setresuid: what
//! runc's nsexec does before its Go runtime starts) and only then execs.
//! It cannot trace these calls; kit-init reports them once it runs, and
//! a failure ends the child with 125 before kit-init ever starts.
use super::libc;

/// The host's byte: the maps are written, and setgroups(2) is allowed
/// (root's range) or denied (an unprivileged user's own id).
pub const GO_WITH_SETGROUPS: u8 = b'g';
pub const GO_WITHOUT_SETGROUPS: u8 = b'n';

/// The argv[1] kit-init gets, to report the calls made here.
pub const ARG_SETGROUPS: &str = "userns-setgroups";
pub const ARG_IDS: &str = "userns";

/// Wait for the host's byte on `control`, then become uid and gid 0 of the
/// namespace. Some(whether setgroups was called); None on EOF (the host went
/// away) or a refused id.
///
/// # Safety
/// For the child of clone() only, before it execs: raw syscalls, no
/// allocation, no lock (see clone.rs).
pub unsafe fn become_root(control: i32) -> Option<bool> {
    let mut byte = 0u8;
    loop {
        let n = libc::read(control, &mut byte as *mut u8 as *mut _, 1);
        if n == 1 {
            break;
        }
        if n < 0 && super::errno() == libc::EINTR {
            continue;
        }
        return None;
    }
    let groups = byte == GO_WITH_SETGROUPS;
    if groups && libc::syscall(libc::SYS_setgroups, 0usize, std::ptr::null::<u32>()) != 0 {
        return None;
    }
    if libc::syscall(libc::SYS_setresgid, 0u32, 0u32, 0u32) != 0 || libc::syscall(libc::SYS_setresuid, 0u32, 0u32, 0u32) != 0 {
        return None;
    }
    Some(groups)
}
