//! openat2(2) with RESOLVE_IN_ROOT: open a path inside a container's root
//! as the container would resolve it. `..` stops at the root and an absolute
//! symlink means the root's own path, so no link in the container (even one
//! swapped in while kit copies) leads out to the host's files; magic links
//! (/proc/self/root...) are refused. `kit cp` opens every file this way.
use linux_raw_sys::general::open_how as OpenHow;
use std::mem::size_of;

use super::libc;
use super::{cstr, traced, SysResult};
use crate::decode::quoted;

pub fn open_in_root(root_fd: i32, path: &str, flags: i32, mode: u32) -> SysResult {
    let c = cstr(path)?;
    // The kernel's struct open_how, from linux-raw-sys: libc marks its own
    // non-exhaustive, so it cannot be written as one value.
    let how = OpenHow {
        flags: (flags | libc::O_CLOEXEC) as u64,
        mode: if flags & libc::O_CREAT != 0 { mode as u64 } else { 0 },
        resolve: libc::RESOLVE_IN_ROOT | libc::RESOLVE_NO_MAGICLINKS,
    };
    let args = vec![root_fd.to_string(), quoted(Some(path)), format!("{{flags={:#o}, mode=0{:o}, resolve=RESOLVE_IN_ROOT|RESOLVE_NO_MAGICLINKS}}", flags, mode), "24".into()];
    traced("openat2", args, || unsafe {
        libc::syscall(libc::SYS_openat2, root_fd, c.as_ptr(), &how as *const OpenHow, size_of::<OpenHow>()) as i64
    })
}
