//! setgroups(2), setresgid(2), setresuid(2): `kit run -u`. Made last, after
//! the capability sets, in this order (groups and gid while still root):
//! leaving uid 0 clears the permitted and effective capabilities, so the
//! command runs as the user with none, as Docker's `-u` does.
use super::libc;
use super::{traced, SysResult};

pub fn setgroups(groups: &[u32]) -> SysResult {
    let list = format!("[{}]", groups.iter().map(|g| g.to_string()).collect::<Vec<_>>().join(", "));
    traced("setgroups", vec![groups.len().to_string(), list], || unsafe {
        libc::setgroups(groups.len(), groups.as_ptr() as *const libc::gid_t) as i64
    })
}

pub fn setresgid(gid: u32) -> SysResult {
    let g = gid.to_string();
    traced("setresgid", vec![g.clone(), g.clone(), g], || unsafe { libc::setresgid(gid, gid, gid) as i64 })
}

pub fn setresuid(uid: u32) -> SysResult {
    let u = uid.to_string();
    traced("setresuid", vec![u.clone(), u.clone(), u], || unsafe { libc::setresuid(uid, uid, uid) as i64 })
}
