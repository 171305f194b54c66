//! Names for the numbers syscalls take and return, so a trace reads like strace:
//! `CLONE_NEWPID|SIGCHLD` rather than `0x20000011`, `EPERM` rather than `1`.

/// A named bit (or bit group) inside a flag word.
pub struct Flag {
    pub name: &'static str,
    pub bits: u64,
}

const fn f(name: &'static str, bits: u64) -> Flag {
    Flag { name, bits }
}

pub const CLONE_FLAGS: &[Flag] = &[
    f("CLONE_NEWTIME", 0x80),
    f("CLONE_VM", 0x100),
    f("CLONE_FS", 0x200),
    f("CLONE_FILES", 0x400),
    f("CLONE_SIGHAND", 0x800),
    f("CLONE_PIDFD", 0x1000),
    f("CLONE_PTRACE", 0x2000),
    f("CLONE_VFORK", 0x4000),
    f("CLONE_PARENT", 0x8000),
    f("CLONE_THREAD", 0x10000),
    f("CLONE_NEWNS", 0x20000),
    f("CLONE_SYSVSEM", 0x40000),
    f("CLONE_SETTLS", 0x80000),
    f("CLONE_PARENT_SETTID", 0x100000),
    f("CLONE_CHILD_CLEARTID", 0x200000),
    f("CLONE_UNTRACED", 0x800000),
    f("CLONE_CHILD_SETTID", 0x1000000),
    f("CLONE_NEWCGROUP", 0x2000000),
    f("CLONE_NEWUTS", 0x4000000),
    f("CLONE_NEWIPC", 0x8000000),
    f("CLONE_NEWUSER", 0x10000000),
    f("CLONE_NEWPID", 0x20000000),
    f("CLONE_NEWNET", 0x40000000),
    f("CLONE_IO", 0x80000000),
];

pub const MOUNT_FLAGS: &[Flag] = &[
    f("MS_RDONLY", 1),
    f("MS_NOSUID", 2),
    f("MS_NODEV", 4),
    f("MS_NOEXEC", 8),
    f("MS_SYNCHRONOUS", 16),
    f("MS_REMOUNT", 32),
    f("MS_MANDLOCK", 64),
    f("MS_DIRSYNC", 128),
    f("MS_NOSYMFOLLOW", 256),
    f("MS_NOATIME", 1024),
    f("MS_NODIRATIME", 2048),
    f("MS_BIND", 4096),
    f("MS_MOVE", 8192),
    f("MS_REC", 16384),
    f("MS_SILENT", 32768),
    f("MS_POSIXACL", 1 << 16),
    f("MS_UNBINDABLE", 1 << 17),
    f("MS_PRIVATE", 1 << 18),
    f("MS_SLAVE", 1 << 19),
    f("MS_SHARED", 1 << 20),
    f("MS_RELATIME", 1 << 21),
    f("MS_STRICTATIME", 1 << 24),
    f("MS_LAZYTIME", 1 << 25),
];

pub const UMOUNT_FLAGS: &[Flag] = &[
    f("MNT_FORCE", 1),
    f("MNT_DETACH", 2),
    f("MNT_EXPIRE", 4),
    f("UMOUNT_NOFOLLOW", 8),
];

pub const FILE_TYPES: &[Flag] = &[
    f("S_IFIFO", 0o010000),
    f("S_IFCHR", 0o020000),
    f("S_IFDIR", 0o040000),
    f("S_IFBLK", 0o060000),
    f("S_IFREG", 0o100000),
    f("S_IFSOCK", 0o140000),
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
    let signal = value & 0xff;
    let mut out = flags(value & !0xff, CLONE_FLAGS);
    if value & !0xff == 0 {
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
        1 => ("EPERM", "Operation not permitted"),
        2 => ("ENOENT", "No such file or directory"),
        3 => ("ESRCH", "No such process"),
        4 => ("EINTR", "Interrupted system call"),
        5 => ("EIO", "Input/output error"),
        6 => ("ENXIO", "No such device or address"),
        7 => ("E2BIG", "Argument list too long"),
        8 => ("ENOEXEC", "Exec format error"),
        9 => ("EBADF", "Bad file descriptor"),
        10 => ("ECHILD", "No child processes"),
        11 => ("EAGAIN", "Resource temporarily unavailable"),
        12 => ("ENOMEM", "Cannot allocate memory"),
        13 => ("EACCES", "Permission denied"),
        14 => ("EFAULT", "Bad address"),
        16 => ("EBUSY", "Device or resource busy"),
        17 => ("EEXIST", "File exists"),
        18 => ("EXDEV", "Invalid cross-device link"),
        19 => ("ENODEV", "No such device"),
        20 => ("ENOTDIR", "Not a directory"),
        21 => ("EISDIR", "Is a directory"),
        22 => ("EINVAL", "Invalid argument"),
        23 => ("ENFILE", "Too many open files in system"),
        24 => ("EMFILE", "Too many open files"),
        25 => ("ENOTTY", "Inappropriate ioctl for device"),
        26 => ("ETXTBSY", "Text file busy"),
        27 => ("EFBIG", "File too large"),
        28 => ("ENOSPC", "No space left on device"),
        29 => ("ESPIPE", "Illegal seek"),
        30 => ("EROFS", "Read-only file system"),
        31 => ("EMLINK", "Too many links"),
        32 => ("EPIPE", "Broken pipe"),
        34 => ("ERANGE", "Numerical result out of range"),
        35 => ("EDEADLK", "Resource deadlock avoided"),
        36 => ("ENAMETOOLONG", "File name too long"),
        38 => ("ENOSYS", "Function not implemented"),
        39 => ("ENOTEMPTY", "Directory not empty"),
        40 => ("ELOOP", "Too many levels of symbolic links"),
        61 => ("ENODATA", "No data available"),
        71 => ("EPROTO", "Protocol error"),
        75 => ("EOVERFLOW", "Value too large for defined data type"),
        95 => ("EOPNOTSUPP", "Operation not supported"),
        97 => ("EAFNOSUPPORT", "Address family not supported by protocol"),
        98 => ("EADDRINUSE", "Address already in use"),
        99 => ("EADDRNOTAVAIL", "Cannot assign requested address"),
        100 => ("ENETDOWN", "Network is down"),
        101 => ("ENETUNREACH", "Network is unreachable"),
        104 => ("ECONNRESET", "Connection reset by peer"),
        110 => ("ETIMEDOUT", "Connection timed out"),
        111 => ("ECONNREFUSED", "Connection refused"),
        113 => ("EHOSTUNREACH", "No route to host"),
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
