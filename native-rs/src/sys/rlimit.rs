//! setrlimit(2): `kit run --ulimit nofile=1024:2048`. Limits are inherited
//! across fork and execve, so kit-init sets them on itself before the exec.
//! Lowering needs no privilege; raising a hard limit needs CAP_SYS_RESOURCE.
use super::libc;
use super::{traced, SysResult};

/// -1 is RLIM_INFINITY ("unlimited").
pub fn setrlimit(resource: i32, soft: i64, hard: i64) -> SysResult {
    let value = |v: i64| if v < 0 { libc::RLIM_INFINITY } else { v as libc::rlim_t };
    let shown = |v: i64| if v < 0 { "RLIM_INFINITY".to_string() } else { v.to_string() };
    let limit = libc::rlimit { rlim_cur: value(soft), rlim_max: value(hard) };
    traced("setrlimit", vec![resource.to_string(), format!("{{rlim_cur={}, rlim_max={}}}", shown(soft), shown(hard))], || unsafe {
        libc::setrlimit(resource as _, &limit) as i64
    })
}
