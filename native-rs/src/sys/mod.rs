//! One traced wrapper per syscall. Every wrapper goes through [`traced`], the
//! single place that times the call, reads errno and records the trace event.
//! The file a syscall lives in is named after it.
use std::ffi::CString;
use std::os::raw::c_char;
use std::time::Instant;

use crate::trace::{self, Event};

/// The `libc` crate: syscall numbers, constants, structs and glibc's thin
/// syscall wrappers, per architecture. Re-exported so every wrapper writes
/// `use super::libc`.
pub use ::libc;

pub mod bpf;
pub mod capset;
pub mod chroot;
pub mod clone;
pub mod dup2;
pub mod exec;
pub mod fd_passing;
pub mod fds;
pub mod files;
pub mod flock;
pub mod fork;
pub mod hostname;
pub mod ipc;
pub mod kill;
pub mod mount;
pub mod mount_setattr;
pub mod move_mount;
pub mod netlink;
pub mod nofollow;
pub mod open;
pub mod open_tree;
pub mod openat2;
pub mod pivot_root;
pub mod prctl;
pub mod ptrace;
pub mod rlimit;
pub mod seccomp;
pub mod setns;
pub mod setsid;
pub mod signals;
pub mod stat;
pub mod tty;
pub mod swapoff;
pub mod unshare;
pub mod user;
pub mod userns_child;
pub mod wait;
pub mod xattr;

/// Ok(return value) or Err(errno).
pub type SysResult = Result<i64, i32>;

pub fn errno() -> i32 {
    unsafe { *libc::__errno_location() }
}

/// Run one syscall, time it and record its trace event. `call` returns the raw
/// libc result: -1 means failure with the reason in errno.
pub fn traced(syscall: &'static str, args: Vec<String>, call: impl FnOnce() -> i64) -> SysResult {
    traced_out(syscall, call, |_| args)
}

/// Like [`traced`], for calls that fill in a result the way strace shows it
/// (`stat(".", {st_dev=.., st_ino=..})`): the arguments are rendered after
/// the call, knowing whether it succeeded.
pub fn traced_out(syscall: &'static str, call: impl FnOnce() -> i64, render: impl FnOnce(bool) -> Vec<String>) -> SysResult {
    let start = Instant::now();
    let ret = call();
    let errno = if ret == -1 { Some(errno()) } else { None };
    let args = render(errno.is_none());
    trace::record(Event {
        syscall,
        args,
        ret,
        errno,
        duration_us: start.elapsed().as_micros() as u64,
        step: trace::current_step(),
        pending: false,
    });
    match errno {
        Some(e) => Err(e),
        None => Ok(ret),
    }
}

/// A Rust string as a C string; interior NULs cannot reach the kernel, so they
/// are refused before any call is made.
pub fn cstr(s: &str) -> Result<CString, i32> {
    CString::new(s).map_err(|_| libc::EINVAL)
}

pub fn ptr_or_null(s: &Option<CString>) -> *const c_char {
    s.as_ref().map_or(std::ptr::null(), |c| c.as_ptr())
}

/// write(2) until done, untraced: it carries trace lines themselves.
pub fn write_untraced(fd: i32, mut bytes: &[u8]) {
    while !bytes.is_empty() {
        let n = unsafe { libc::write(fd, bytes.as_ptr() as *const _, bytes.len()) };
        if n < 0 && errno() == libc::EINTR {
            continue;
        }
        if n <= 0 {
            return;
        }
        bytes = &bytes[n as usize..];
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};

    fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    /// Every literal syscall name passed to traced()/traced_out() in `text`.
    fn traced_names(text: &str) -> Vec<String> {
        ["traced(\"", "traced_out(\""]
            .iter()
            .flat_map(|call| text.match_indices(call).map(move |(i, _)| &text[i + call.len()..]))
            .filter_map(|rest| rest.split('"').next().map(String::from))
            .collect()
    }

    /// "A reader finds any syscall in one place": each syscall kit traces is
    /// wrapped in one file, and only under src/sys.
    #[test]
    fn each_traced_syscall_lives_in_one_file_under_sys() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        let mut homes: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for file in files {
            let relative = file.strip_prefix(&src).unwrap().display().to_string();
            let text = std::fs::read_to_string(&file).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap(); // this test's own strings aside
            for name in traced_names(code) {
                assert!(relative.starts_with("sys/"), "{} traces {} outside src/sys", relative, name);
                let places = homes.entry(name).or_default();
                if !places.contains(&relative) {
                    places.push(relative.clone());
                }
            }
        }
        assert!(homes.len() > 40, "{:?}", homes.keys());
        let scattered: Vec<_> = homes.iter().filter(|(_, places)| places.len() > 1).collect();
        assert!(scattered.is_empty(), "traced in more than one file: {:?}", scattered);
    }
}
