//! flock(2): an exclusive lock on a file, held until its fd is closed. kit
//! uses it to serialise changes to what all kit processes share (the kit0
//! bridge, the KIT chain, address leases). The kernel drops the lock when
//! its holder dies, so a kill -9 never leaves a stale lock.
use super::libc::{self, LOCK_EX, O_CLOEXEC, O_CREAT, O_RDWR};
use super::{cstr, traced, SysResult};
use crate::decode::quoted;

/// open(path, O_CREAT) + flock(fd, LOCK_EX); Ok(fd): close it to unlock.
pub fn lock_file(path: &str) -> SysResult {
    let c = cstr(path)?;
    // Rendered before open(): an allocation in between could change errno.
    let args = vec![quoted(Some(path)), "LOCK_EX".to_string()];
    let fd = unsafe { libc::open(c.as_ptr(), O_RDWR | O_CREAT | O_CLOEXEC, 0o600 as libc::c_uint) };
    if fd < 0 {
        return traced("flock", args, || -1);
    }
    match traced("flock", args, || loop {
        let r = unsafe { libc::flock(fd, LOCK_EX) };
        if r == 0 || super::errno() != libc::EINTR {
            break r as i64;
        }
    }) {
        Ok(_) => Ok(fd as i64),
        Err(e) => {
            unsafe { libc::close(fd) };
            Err(e)
        }
    }
}
