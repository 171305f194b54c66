//! capset(2): set the calling thread's effective, permitted and inheritable
//! capability sets in one call, as runc does before the container's execve.
//! The trace names each capability (`CAP_CHOWN|CAP_KILL|...`); the names and
//! numbers come from the `caps` crate, the call's structs and version from
//! `linux-raw-sys` (the kernel's <linux/capability.h>; libc has none of them).
use linux_raw_sys::general::{__user_cap_data_struct as Data, __user_cap_header_struct as Header, _LINUX_CAPABILITY_VERSION_3};

use super::{traced, SysResult};

/// Each set is a bit mask: bit N = capability N.
pub fn capset(effective: u64, permitted: u64, inheritable: u64) -> SysResult {
    let header = Header { version: _LINUX_CAPABILITY_VERSION_3, pid: 0 };
    let word = |mask: u64, i: usize| (mask >> (32 * i)) as u32;
    let data: [Data; 2] = [0, 1].map(|i| Data { effective: word(effective, i), permitted: word(permitted, i), inheritable: word(inheritable, i) });
    let same = |mask: u64| if mask == effective { "effective".to_string() } else { cap_names(mask) };
    let args = vec![
        "{version=_LINUX_CAPABILITY_VERSION_3, pid=0}".to_string(),
        format!("{{effective={}, permitted={}, inheritable={}}}", cap_names(effective), same(permitted), same(inheritable)),
    ];
    traced("capset", args, || unsafe { super::libc::syscall(super::libc::SYS_capset, &header as *const Header, data.as_ptr()) as i64 })
}

/// `CAP_SYS_ADMIN`, or `cap_41` for a number this kernel has but `caps` does not know.
pub fn cap_name(index: u32) -> String {
    caps::all()
        .into_iter()
        .find(|c| u32::from(c.index()) == index)
        .map(|c| c.to_string())
        .unwrap_or_else(|| format!("cap_{}", index))
}

/// A capability mask as names joined by `|`, lowest number first; `0` when empty.
pub fn cap_names(mask: u64) -> String {
    let names: Vec<String> = (0..64).filter(|i| mask & (1u64 << i) != 0).map(cap_name).collect();
    if names.is_empty() {
        "0".into()
    } else {
        names.join("|")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_capabilities_by_number() {
        assert_eq!(cap_name(21), "CAP_SYS_ADMIN");
        assert_eq!(cap_names((1 << 0) | (1 << 5)), "CAP_CHOWN|CAP_KILL");
        assert_eq!(cap_names(0), "0");
        assert_eq!(cap_name(63), "cap_63");
    }
}
