//! execve(2): replace kit-init with the container's command.
use std::ffi::CString;
use std::os::raw::c_char;
use std::time::Instant;

use super::libc;
use super::{cstr, errno};
use crate::decode::{quoted, string_array};
use crate::trace::{self, Event};

/// Exec `path` with `argv` and `env`. Returns only on failure, with errno.
///
/// The event is written before the call, marked pending: once execve succeeds
/// nothing of kit is left in the process to report it. The host completes it
/// when the O_CLOEXEC control socket closes, the kernel's proof of success.
pub fn execve(path: &str, argv: &[String], env: &[String]) -> i32 {
    let (cpath, cargv, cenv) = match (cstr(path), to_cstrings(argv), to_cstrings(env)) {
        (Ok(p), Ok(a), Ok(e)) => (p, a, e),
        _ => return libc::EINVAL,
    };
    let args = vec![quoted(Some(path)), string_array(argv), format!("[/* {} vars */]", env.len())];
    let pending = |ret, errno, duration_us| Event {
        syscall: "execve",
        args: args.clone(),
        ret,
        errno,
        duration_us,
        step: trace::current_step(),
        pending: errno.is_none(),
    };
    trace::record(pending(0, None, 0));
    let start = Instant::now();
    let argp = null_terminated(&cargv);
    let envp = null_terminated(&cenv);
    unsafe { libc::execve(cpath.as_ptr(), argp.as_ptr(), envp.as_ptr()) };
    let e = errno();
    trace::record(pending(-1, Some(e), start.elapsed().as_micros() as u64));
    e
}

fn to_cstrings(items: &[String]) -> Result<Vec<CString>, i32> {
    items.iter().map(|s| cstr(s)).collect()
}

fn null_terminated(items: &[CString]) -> Vec<*const c_char> {
    let mut out: Vec<*const c_char> = items.iter().map(|c| c.as_ptr()).collect();
    out.push(std::ptr::null());
    out
}
