//! sethostname(2): visible only inside the caller's UTS namespace.
use super::libc;
use super::{traced, SysResult};
use crate::decode::quoted;

pub fn sethostname(name: &str) -> SysResult {
    let args = vec![quoted(Some(name)), name.len().to_string()];
    traced("sethostname", args, || unsafe {
        libc::sethostname(name.as_ptr() as *const _, name.len()) as i64
    })
}
