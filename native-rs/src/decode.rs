//! Names for the numbers syscalls take and return, so a trace reads like strace:
//! `CLONE_NEWPID|SIGCHLD` rather than `0x20000011`, `EPERM` rather than `1`.
//! The numbers come from the `libc` crate, right for each architecture
//! (clone's are C ints: `as u32` first, so CLONE_IO's top bit is not sign-extended).

/// A named bit (or bit group) inside a flag word.
pub struct Flag {
    pub name: &'static str,
    pub bits: u64,
}

const fn f(name: &'static str, bits: u64) -> Flag {
    Flag { name, bits }
}

pub const CLONE_FLAGS: &[Flag] = &[
    f("CLONE_NEWTIME", libc::CLONE_NEWTIME as u32 as u64),
    f("CLONE_VM", libc::CLONE_VM as u32 as u64),
    f("CLONE_FS", libc::CLONE_FS as u32 as u64),
    f("CLONE_FILES", libc::CLONE_FILES as u32 as u64),
    f("CLONE_SIGHAND", libc::CLONE_SIGHAND as u32 as u64),
    f("CLONE_PIDFD", libc::CLONE_PIDFD as u32 as u64),
    f("CLONE_PTRACE", libc::CLONE_PTRACE as u32 as u64),
    f("CLONE_VFORK", libc::CLONE_VFORK as u32 as u64),
    f("CLONE_PARENT", libc::CLONE_PARENT as u32 as u64),
    f("CLONE_THREAD", libc::CLONE_THREAD as u32 as u64),
    f("CLONE_NEWNS", libc::CLONE_NEWNS as u32 as u64),
    f("CLONE_SYSVSEM", libc::CLONE_SYSVSEM as u32 as u64),
    f("CLONE_SETTLS", libc::CLONE_SETTLS as u32 as u64),
    f("CLONE_PARENT_SETTID", libc::CLONE_PARENT_SETTID as u32 as u64),
    f("CLONE_CHILD_CLEARTID", libc::CLONE_CHILD_CLEARTID as u32 as u64),
    f("CLONE_UNTRACED", libc::CLONE_UNTRACED as u32 as u64),
    f("CLONE_CHILD_SETTID", libc::CLONE_CHILD_SETTID as u32 as u64),
    f("CLONE_NEWCGROUP", libc::CLONE_NEWCGROUP as u32 as u64),
    f("CLONE_NEWUTS", libc::CLONE_NEWUTS as u32 as u64),
    f("CLONE_NEWIPC", libc::CLONE_NEWIPC as u32 as u64),
    f("CLONE_NEWUSER", libc::CLONE_NEWUSER as u32 as u64),
    f("CLONE_NEWPID", libc::CLONE_NEWPID as u32 as u64),
    f("CLONE_NEWNET", libc::CLONE_NEWNET as u32 as u64),
    f("CLONE_IO", libc::CLONE_IO as u32 as u64),
];

pub const MOUNT_FLAGS: &[Flag] = &[
    f("MS_RDONLY", libc::MS_RDONLY),
    f("MS_NOSUID", libc::MS_NOSUID),
    f("MS_NODEV", libc::MS_NODEV),
    f("MS_NOEXEC", libc::MS_NOEXEC),
    f("MS_SYNCHRONOUS", libc::MS_SYNCHRONOUS),
    f("MS_REMOUNT", libc::MS_REMOUNT),
    f("MS_MANDLOCK", libc::MS_MANDLOCK),
    f("MS_DIRSYNC", libc::MS_DIRSYNC),
    f("MS_NOSYMFOLLOW", libc::MS_NOSYMFOLLOW),
    f("MS_NOATIME", libc::MS_NOATIME),
    f("MS_NODIRATIME", libc::MS_NODIRATIME),
    f("MS_BIND", libc::MS_BIND),
    f("MS_MOVE", libc::MS_MOVE),
    f("MS_REC", libc::MS_REC),
    f("MS_SILENT", libc::MS_SILENT),
    f("MS_POSIXACL", libc::MS_POSIXACL),
    f("MS_UNBINDABLE", libc::MS_UNBINDABLE),
    f("MS_PRIVATE", libc::MS_PRIVATE),
    f("MS_SLAVE", libc::MS_SLAVE),
    f("MS_SHARED", libc::MS_SHARED),
    f("MS_RELATIME", libc::MS_RELATIME),
    f("MS_STRICTATIME", libc::MS_STRICTATIME),
    f("MS_LAZYTIME", libc::MS_LAZYTIME),
];

pub const UMOUNT_FLAGS: &[Flag] = &[
    f("MNT_FORCE", libc::MNT_FORCE as u64),
    f("MNT_DETACH", libc::MNT_DETACH as u64),
    f("MNT_EXPIRE", libc::MNT_EXPIRE as u64),
    f("UMOUNT_NOFOLLOW", libc::UMOUNT_NOFOLLOW as u64),
];

pub const FILE_TYPES: &[Flag] = &[
    f("S_IFIFO", libc::S_IFIFO as u64),
    f("S_IFCHR", libc::S_IFCHR as u64),
    f("S_IFDIR", libc::S_IFDIR as u64),
    f("S_IFBLK", libc::S_IFBLK as u64),
    f("S_IFREG", libc::S_IFREG as u64),
    f("S_IFSOCK", libc::S_IFSOCK as u64),
];

const SIGNALS: &[&str] = &[
    "0", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE",
    "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
    "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
    "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
];

/// `A|B|0x40` for the set bits of `value`; bits no entry names are kept as hex.
pub fn flags(value: u64, table: &[Flag]) -> String {
    let mut names: Vec<String> = Vec::new();
    let mut rest = value;
    for flag in table {
        if flag.bits != 0 && value & flag.bits == flag.bits {
            names.push(flag.name.to_string());
            rest &= !flag.bits;
        }
    }
    if value == 0 {
        return "0".to_string();
    }
    if rest != 0 {
        names.push(format!("{:#x}", rest));
    }
    names.join("|")
}

/// clone()'s flag word: namespace and sharing bits, plus the exit signal in the low byte.
pub fn clone_flags(value: u64) -> String {
    let csignal = libc::CSIGNAL as u64;
    let signal = value & csignal;
    let mut out = flags(value & !csignal, CLONE_FLAGS);
    if value & !csignal == 0 {
        out.clear();
    }
    if signal != 0 {
        if !out.is_empty() {
            out.push('|');
        }
        out.push_str(&signal_name(signal as i32));
    }
    if out.is_empty() {
        out.push('0');
    }
    out
}

pub fn signal_name(sig: i32) -> String {
    match SIGNALS.get(sig as usize) {
        Some(name) if sig > 0 => name.to_string(),
        _ => sig.to_string(),
    }
}

/// mknod's mode: file type by name, permission bits in octal (`S_IFCHR|0666`).
pub fn file_mode(mode: u32) -> String {
    let kind = FILE_TYPES.iter().find(|t| (mode as u64) & 0o170000 == t.bits);
    match kind {
        Some(t) => format!("{}|0{:o}", t.name, mode & 0o7777),
        None => format!("0{:o}", mode),
    }
}

/// (name, message) for an errno value, as strace shows it: `EPERM (Operation not permitted)`.
pub fn errno(value: i32) -> (&'static str, &'static str) {
    match value {
        libc::EPERM => ("EPERM", "Operation not permitted"),
        libc::ENOENT => ("ENOENT", "No such file or directory"),
        libc::ESRCH => ("ESRCH", "No such process"),
        libc::EINTR => ("EINTR", "Interrupted system call"),
        libc::EIO => ("EIO", "Input/output error"),
        libc::ENXIO => ("ENXIO", "No such device or address"),
        libc::E2BIG => ("E2BIG", "Argument list too long"),
        libc::ENOEXEC => ("ENOEXEC", "Exec format error"),
        libc::EBADF => ("EBADF", "Bad file descriptor"),
        libc::ECHILD => ("ECHILD", "No child processes"),
        libc::EAGAIN => ("EAGAIN", "Resource temporarily unavailable"),
        libc::ENOMEM => ("ENOMEM", "Cannot allocate memory"),
        libc::EACCES => ("EACCES", "Permission denied"),
        libc::EFAULT => ("EFAULT", "Bad address"),
        libc::EBUSY => ("EBUSY", "Device or resource busy"),
        libc::EEXIST => ("EEXIST", "File exists"),
        libc::EXDEV => ("EXDEV", "Invalid cross-device link"),
        libc::ENODEV => ("ENODEV", "No such device"),
        libc::ENOTDIR => ("ENOTDIR", "Not a directory"),
        libc::EISDIR => ("EISDIR", "Is a directory"),
        libc::EINVAL => ("EINVAL", "Invalid argument"),
        libc::ENFILE => ("ENFILE", "Too many open files in system"),
        libc::EMFILE => ("EMFILE", "Too many open files"),
        libc::ENOTTY => ("ENOTTY", "Inappropriate ioctl for device"),
        libc::ETXTBSY => ("ETXTBSY", "Text file busy"),
        libc::EFBIG => ("EFBIG", "File too large"),
        libc::ENOSPC => ("ENOSPC", "No space left on device"),
        libc::ESPIPE => ("ESPIPE", "Illegal seek"),
        libc::EROFS => ("EROFS", "Read-only file system"),
        libc::EMLINK => ("EMLINK", "Too many links"),
        libc::EPIPE => ("EPIPE", "Broken pipe"),
        libc::ERANGE => ("ERANGE", "Numerical result out of range"),
        libc::EDEADLK => ("EDEADLK", "Resource deadlock avoided"),
        libc::ENAMETOOLONG => ("ENAMETOOLONG", "File name too long"),
        libc::ENOSYS => ("ENOSYS", "Function not implemented"),
        libc::ENOTEMPTY => ("ENOTEMPTY", "Directory not empty"),
        libc::ELOOP => ("ELOOP", "Too many levels of symbolic links"),
        libc::ENODATA => ("ENODATA", "No data available"),
        libc::EPROTO => ("EPROTO", "Protocol error"),
        libc::EOVERFLOW => ("EOVERFLOW", "Value too large for defined data type"),
        libc::EOPNOTSUPP => ("EOPNOTSUPP", "Operation not supported"),
        libc::EAFNOSUPPORT => ("EAFNOSUPPORT", "Address family not supported by protocol"),
        libc::EADDRINUSE => ("EADDRINUSE", "Address already in use"),
        libc::EADDRNOTAVAIL => ("EADDRNOTAVAIL", "Cannot assign requested address"),
        libc::ENETDOWN => ("ENETDOWN", "Network is down"),
        libc::ENETUNREACH => ("ENETUNREACH", "Network is unreachable"),
        libc::ECONNRESET => ("ECONNRESET", "Connection reset by peer"),
        libc::ETIMEDOUT => ("ETIMEDOUT", "Connection timed out"),
        libc::ECONNREFUSED => ("ECONNREFUSED", "Connection refused"),
        libc::EHOSTUNREACH => ("EHOSTUNREACH", "No route to host"),
        _ => ("E?", "Unknown error"),
    }
}

/// A C string argument as strace prints it: quoted, escaped, NULL when absent.
pub fn quoted(s: Option<&str>) -> String {
    match s {
        None => "NULL".to_string(),
        Some(s) => escaped(s, |c| format!("\\x{:02x}", c)),
    }
}

/// `s` in double quotes with `"`, `\\`, newline, tab and other control
/// characters escaped; `control` renders the others (strace and JSON differ).
pub fn escaped(s: &str, control: impl Fn(u32) -> String) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&control(c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An argv or envp array: `["ps", "-ef"]`.
pub fn string_array(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|s| quoted(Some(s))).collect();
    format!("[{}]", inner.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clone_flags_name_namespaces_and_exit_signal() {
        let v = 0x20000000 | 0x20000 | 0x4000000 | 17;
        assert_eq!(clone_flags(v), "CLONE_NEWNS|CLONE_NEWUTS|CLONE_NEWPID|SIGCHLD");
    }

    #[test]
    fn clone_flags_without_signal_or_bits() {
        assert_eq!(clone_flags(0), "0");
        assert_eq!(clone_flags(17), "SIGCHLD");
        assert_eq!(clone_flags(0x40000000), "CLONE_NEWNET");
        assert_eq!(clone_flags(0x80000000), "CLONE_IO");
    }

    #[test]
    fn mount_flags_in_table_order_with_unknown_bits_in_hex() {
        assert_eq!(flags(16384 | (1 << 18), MOUNT_FLAGS), "MS_REC|MS_PRIVATE");
        assert_eq!(flags(2 | 4 | 8, MOUNT_FLAGS), "MS_NOSUID|MS_NODEV|MS_NOEXEC");
        assert_eq!(flags(0, MOUNT_FLAGS), "0");
        assert_eq!(flags(1 << 40, MOUNT_FLAGS), "0x10000000000");
        assert_eq!(flags(4096 | (1 << 40), MOUNT_FLAGS), "MS_BIND|0x10000000000");
    }

    #[test]
    fn errno_names_and_messages() {
        assert_eq!(errno(1), ("EPERM", "Operation not permitted"));
        assert_eq!(errno(2).0, "ENOENT");
        assert_eq!(errno(16).0, "EBUSY");
        assert_eq!(errno(22).0, "EINVAL");
        assert_eq!(errno(9999).0, "E?");
    }

    #[test]
    fn signals_and_modes() {
        assert_eq!(signal_name(9), "SIGKILL");
        assert_eq!(signal_name(15), "SIGTERM");
        assert_eq!(signal_name(99), "99");
        assert_eq!(file_mode(0o020666), "S_IFCHR|0666");
        assert_eq!(file_mode(0o755), "0755");
    }

    #[test]
    fn strings_are_quoted_like_strace() {
        assert_eq!(quoted(None), "NULL");
        assert_eq!(quoted(Some("a\"b\n")), "\"a\\\"b\\n\"");
        assert_eq!(string_array(&["ps".into(), "-ef".into()]), "[\"ps\", \"-ef\"]");
    }
}
