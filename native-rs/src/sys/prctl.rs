//! prctl(2), for what a container's confinement asks of it: drop a
//! capability from the bounding set (the ceiling every later execve starts
//! from), clear the ambient set, set no_new_privs (no setuid bit or file
//! capability can raise privileges again), and keep capabilities across a
//! change of uid (PR_SET_KEEPCAPS).
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

/// PR_SET_KEEPCAPS: keep the permitted capabilities across the change from
/// uid 0 to another (sys/user.rs), so the capset after it can still grant
/// what the config lists.
pub fn keep_caps(on: bool) -> SysResult {
    let args = vec!["PR_SET_KEEPCAPS".into(), (on as u8).to_string(), "0".into(), "0".into(), "0".into()];
    traced("prctl", args, || unsafe { ::libc::prctl(::libc::PR_SET_KEEPCAPS, on as ::libc::c_ulong, 0, 0, 0) as i64 })
}
