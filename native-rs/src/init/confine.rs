//! The confinement steps of a plan (core/plan/security.ts), in kit-init:
//! the bounding set, the capability sets, the ambient set, no_new_privs and
//! seccomp filters. Each is one or more traced calls in kit_native::sys.
use kit_native::sys::{prctl, seccomp, SysResult};
use kit_native::seccomp_filter;

/// One prctl(PR_CAPBSET_DROP) per capability, stopping at the first failure.
pub fn drop_bounding(caps: &[u32]) -> SysResult {
    for cap in caps {
        prctl::capbset_drop(*cap)?;
    }
    Ok(0)
}

/// Compile one filter (see seccomp_filter.rs for the text forms) and install
/// it. Err: the filter could not be compiled, so nothing was installed.
pub fn seccomp(default_action: &str, match_action: &str, rules: &[String]) -> Result<SysResult, String> {
    let fields: Vec<String> = [default_action, match_action].into_iter().map(String::from).chain(rules.iter().cloned()).collect();
    seccomp_filter::compile(&fields).map(|c| seccomp::set_mode_filter(&c.program))
}
