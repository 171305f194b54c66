//! setsid(2): a new session, with the caller as its leader and no
//! controlling terminal yet; `kit run -t` then gives it the container's pty
//! (TIOCSCTTY), as a login does.
use super::{traced, SysResult};

pub fn setsid() -> SysResult {
    traced("setsid", vec![], || unsafe { ::libc::setsid() as i64 })
}
