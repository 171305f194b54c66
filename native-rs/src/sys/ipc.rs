//! msgget(2) and msgctl(2): System V message queues, the objects an IPC
//! namespace isolates (with semaphores and shared memory).
use super::libc::{self, IPC_CREAT, IPC_EXCL, IPC_RMID};
use super::{traced, SysResult};

/// Create a new queue under `key` (IPC_EXCL: never reuse someone else's).
pub fn msgget_create(key: i32, mode: i32) -> SysResult {
    let args = vec![format!("{:#x}", key), format!("IPC_CREAT|IPC_EXCL|0{:o}", mode)];
    traced("msgget", args, || unsafe { libc::msgget(key, IPC_CREAT | IPC_EXCL | mode) as i64 })
}

/// The id of the existing queue under `key`.
pub fn msgget(key: i32) -> SysResult {
    traced("msgget", vec![format!("{:#x}", key), "0".into()], || unsafe { libc::msgget(key, 0) as i64 })
}

pub fn msgctl_rmid(id: i32) -> SysResult {
    traced("msgctl", vec![id.to_string(), "IPC_RMID".into(), "NULL".into()], || unsafe {
        libc::msgctl(id, IPC_RMID, std::ptr::null_mut()) as i64
    })
}
