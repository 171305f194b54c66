//! setrlimit(2) and umask(2): the process limits and file-creation mask an
//! OCI config asks for (process.rlimits, process.user.umask), set by
//! kit-init on itself just before exec, so the command inherits them.
use super::libc;
use super::{traced, SysResult};

/// The RLIMIT_* names strace prints, by number (the generic numbering,
/// shared by x86_64 and aarch64).
const NAMES: [&str; 16] = [
    "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS", "RLIMIT_NPROC", "RLIMIT_NOFILE",
    "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS", "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME",
];

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
    let name = NAMES.get(resource as usize).map_or_else(|| resource.to_string(), |n| n.to_string());
    let args = vec![name, format!("{{rlim_cur={}, rlim_max={}}}", shown(soft), shown(hard))];
    let limit = libc::rlimit { rlim_cur: value(soft), rlim_max: value(hard) };
    traced("setrlimit", args, || unsafe { libc::setrlimit(resource as _, &limit) as i64 })
}

/// umask(2) cannot fail: it returns the previous mask.
pub fn umask(mask: u32) -> SysResult {
    traced("umask", vec![format!("0{:03o}", mask)], || unsafe { libc::umask(mask as libc::mode_t) as i64 })
}
