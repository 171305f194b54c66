//! prctl(2), for the three things a container's confinement asks of it:
//! drop a capability from the bounding set (the ceiling every later execve
//! starts from), clear the ambient set, and set no_new_privs (no setuid bit
//! or file capability can raise privileges again).
use super::capset::cap_name;
use super::{traced, SysResult};

use ::libc::{PR_CAPBSET_DROP, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, PR_SET_NO_NEW_PRIVS};

pub fn capbset_drop(cap: u32) -> SysResult {
    traced("prctl", vec!["PR_CAPBSET_DROP".into(), cap_name(cap)], || unsafe {
        ::libc::prctl(PR_CAPBSET_DROP, cap as ::libc::c_ulong, 0, 0, 0) as i64
    })
}

pub fn clear_ambient() -> SysResult {
    let args = ["PR_CAP_AMBIENT", "PR_CAP_AMBIENT_CLEAR_ALL", "0", "0", "0"].map(String::from).to_vec();
    traced("prctl", args, || unsafe { ::libc::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL as ::libc::c_ulong, 0, 0, 0) as i64 })
}

pub fn set_no_new_privs() -> SysResult {
    let args = ["PR_SET_NO_NEW_PRIVS", "1", "0", "0", "0"].map(String::from).to_vec();
    traced("prctl", args, || unsafe { ::libc::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) as i64 })
}
