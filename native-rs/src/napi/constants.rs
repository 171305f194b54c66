//! The Linux numbers core spells out in TypeScript (core/linux.ts: clone,
//! mount, umount and signal numbers, file types; core/plan/process-limits.ts:
//! RLIMIT_*), as the libc crate has them for the architecture this addon
//! was built for. test/unit/linux-constants.test.ts checks every one of
//! core's against this table, so a wrong or missing value fails the tests
//! on that architecture rather than reaching a syscall.
use std::collections::HashMap;

use napi_derive::napi;

/// Name (as <linux/*.h> spells it) to value.
#[napi]
pub fn linux_constants() -> HashMap<String, i64> {
    let clone = [
        ("CLONE_NEWNS", libc::CLONE_NEWNS),
        ("CLONE_NEWCGROUP", libc::CLONE_NEWCGROUP),
        ("CLONE_NEWUTS", libc::CLONE_NEWUTS),
        ("CLONE_NEWIPC", libc::CLONE_NEWIPC),
        ("CLONE_NEWUSER", libc::CLONE_NEWUSER),
        ("CLONE_NEWPID", libc::CLONE_NEWPID),
        ("CLONE_NEWNET", libc::CLONE_NEWNET),
        ("CLONE_NEWTIME", libc::CLONE_NEWTIME),
    ]
    .map(|(name, v)| (name, v as u32 as i64));
    let mount = [
        ("MS_RDONLY", libc::MS_RDONLY),
        ("MS_NOSUID", libc::MS_NOSUID),
        ("MS_NODEV", libc::MS_NODEV),
        ("MS_NOEXEC", libc::MS_NOEXEC),
        ("MS_REMOUNT", libc::MS_REMOUNT),
        ("MS_BIND", libc::MS_BIND),
        ("MS_MOVE", libc::MS_MOVE),
        ("MS_REC", libc::MS_REC),
        ("MS_PRIVATE", libc::MS_PRIVATE),
        ("MS_SLAVE", libc::MS_SLAVE),
    ]
    .map(|(name, v)| (name, v as i64));
    let ints = [
        ("MNT_DETACH", libc::MNT_DETACH),
        ("O_PATH", libc::O_PATH),
        ("SIGINT", libc::SIGINT),
        ("SIGKILL", libc::SIGKILL),
        ("SIGTERM", libc::SIGTERM),
        ("SIGCHLD", libc::SIGCHLD),
    ]
    .map(|(name, v)| (name, v as i64));
    let file_types = [("S_IFREG", libc::S_IFREG), ("S_IFCHR", libc::S_IFCHR), ("S_IFBLK", libc::S_IFBLK), ("S_IFIFO", libc::S_IFIFO)].map(|(name, v)| (name, v as i64));
    let limits = crate::sys::rlimit::NAMES.map(|(v, name)| (name, v as i64));
    clone.into_iter().chain(mount).chain(ints).chain(file_types).chain(limits).map(|(name, v)| (name.to_string(), v)).collect()
}
