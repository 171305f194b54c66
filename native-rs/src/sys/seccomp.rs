//! seccomp(2): install a BPF filter that every later syscall of this process
//! (and of what it execs and forks) passes through. The filter is compiled by
//! `crate::seccomp_filter`; installing it is this one call. Without
//! no_new_privs the kernel requires CAP_SYS_ADMIN here, which is why the
//! default confinement installs it before the capabilities are dropped.
use super::{traced, SysResult};
use seccompiler::BpfProgram;

use super::libc::{self, sock_fprog, sock_filter, SECCOMP_SET_MODE_FILTER};

pub fn set_mode_filter(program: &BpfProgram) -> SysResult {
    // seccompiler's sock_filter is <linux/filter.h>'s, as libc's is.
    let prog = sock_fprog { len: program.len() as u16, filter: program.as_ptr() as *mut sock_filter };
    let args = vec!["SECCOMP_SET_MODE_FILTER".into(), "0".into(), format!("{{len={}, filter={:p}}}", program.len(), program.as_ptr())];
    traced("seccomp", args, || unsafe {
        libc::syscall(libc::SYS_seccomp, SECCOMP_SET_MODE_FILTER as u64, 0u64, &prog as *const sock_fprog) as i64
    })
}
