//! setrlimit(2) and umask(2): the process limits and file-creation mask an
//! OCI config asks for (process.rlimits, process.user.umask), set by
//! kit-init on itself just before exec, so the command inherits them.
use super::libc;
use super::{traced, SysResult};

/// The RLIMIT_* names strace prints, with this architecture's numbers from libc.
pub const NAMES: [(libc::__rlimit_resource_t, &str); 16] = [
    (libc::RLIMIT_CPU, "RLIMIT_CPU"),
    (libc::RLIMIT_FSIZE, "RLIMIT_FSIZE"),
    (libc::RLIMIT_DATA, "RLIMIT_DATA"),
    (libc::RLIMIT_STACK, "RLIMIT_STACK"),
    (libc::RLIMIT_CORE, "RLIMIT_CORE"),
    (libc::RLIMIT_RSS, "RLIMIT_RSS"),
    (libc::RLIMIT_NPROC, "RLIMIT_NPROC"),
    (libc::RLIMIT_NOFILE, "RLIMIT_NOFILE"),
    (libc::RLIMIT_MEMLOCK, "RLIMIT_MEMLOCK"),
    (libc::RLIMIT_AS, "RLIMIT_AS"),
    (libc::RLIMIT_LOCKS, "RLIMIT_LOCKS"),
    (libc::RLIMIT_SIGPENDING, "RLIMIT_SIGPENDING"),
    (libc::RLIMIT_MSGQUEUE, "RLIMIT_MSGQUEUE"),
    (libc::RLIMIT_NICE, "RLIMIT_NICE"),
    (libc::RLIMIT_RTPRIO, "RLIMIT_RTPRIO"),
    (libc::RLIMIT_RTTIME, "RLIMIT_RTTIME"),
];

/// `RLIMIT_NOFILE`, or the number when libc has no name for it.
pub fn resource_name(resource: libc::__rlimit_resource_t) -> String {
    NAMES.iter().find(|(n, _)| *n == resource).map_or_else(|| resource.to_string(), |(_, name)| name.to_string())
}

/// A limit's value as the kernel takes it: a negative one is RLIM_INFINITY.
fn value(v: i64) -> libc::rlim_t {
    if v < 0 {
        libc::RLIM_INFINITY
    } else {
        v as libc::rlim_t
    }
}

fn shown(v: i64) -> String {
    if v < 0 {
        "RLIM_INFINITY".into()
    } else {
        v.to_string()
    }
}

pub fn setrlimit(resource: u32, soft: i64, hard: i64) -> SysResult {
    let args = vec![resource_name(resource), format!("{{rlim_cur={}, rlim_max={}}}", shown(soft), shown(hard))];
    let limit = libc::rlimit { rlim_cur: value(soft), rlim_max: value(hard) };
    traced("setrlimit", args, || unsafe { libc::setrlimit(resource as _, &limit) as i64 })
}

/// umask(2) cannot fail: it returns the previous mask.
pub fn umask(mask: u32) -> SysResult {
    traced("umask", vec![format!("0{:03o}", mask)], || unsafe { libc::umask(mask as libc::mode_t) as i64 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_limits_by_this_architectures_numbers() {
        assert_eq!(resource_name(libc::RLIMIT_NOFILE), "RLIMIT_NOFILE");
        assert_eq!(resource_name(libc::RLIMIT_RTTIME), "RLIMIT_RTTIME");
        assert_eq!(resource_name(99), "99");
    }
}
