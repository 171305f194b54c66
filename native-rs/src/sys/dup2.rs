//! dup2(2): put an open file at a chosen fd number (the container's pty
//! slave as its stdin, stdout and stderr).
use super::{traced, SysResult};

pub fn dup2(old: i32, new: i32) -> SysResult {
    traced("dup2", vec![old.to_string(), new.to_string()], || unsafe { ::libc::dup2(old, new) as i64 })
}
