//! kit-init: the first program inside every container, like `runc init`.
//!
//! It reads the plan from the control socket (fd 3), runs each step through
//! the traced wrappers in kit_native::sys (their events go back on the same
//! socket), then execs the container's command. Exit codes follow Docker's:
//! 125 a setup step failed, 126 the command could not be run, 127 it was not
//! found.
//!
//! Why a separate program, and where allocation matters: Node is
//! multi-threaded, so the child of its clone() may find a malloc or stdio
//! lock held by a thread that does not exist on its side. That child
//! (sys/clone.rs, sys/userns_child.rs) therefore runs only raw syscalls on
//! data built before clone(), allocating nothing and taking no lock, until
//! it has exec'd this program. Here there is one thread and nobody else to
//! hold a lock, so kit-init may allocate, format and parse; it must stay
//! single-threaded (unshare(CLONE_NEWUSER) and setns into some namespaces
//! refuse a multi-threaded caller), and no crate it links starts a thread.
//!
//! Crates it links, all pure Rust (the addon's napi-rs is behind the `addon`
//! feature, which this binary is built without): `libc` (declarations and
//! glibc's thin syscall wrappers: no lock, no allocation) and `linux-raw-sys`
//! (declarations only: the kernel structs libc lacks); `serde` and
//! `serde_json` (the plan's JSON lines, parsed once before any step); `caps`
//! (capability names and numbers); `seccompiler` and `syscalls` (a filter
//! compiled to BPF in memory, syscall names to this architecture's numbers,
//! before it is installed); `netlink-packet-route` and `netlink-sys` (eth0's
//! rtnetlink messages, built in a buffer and sent on a blocking socket, no
//! async runtime).
use kit_native::plan::{self, Attempt, ContainerStep};
use kit_native::sys::{self, libc};
use kit_native::trace::{self, Event};

mod chroot_escape;
mod console;
mod confine;
mod reaper;

/// fd 3 in the container: the control socket (see core/engine/spawn.ts).
const CONTROL_FD: i32 = 3;

fn main() {
    // Node ignores SIGPIPE and SIGXFSZ, and an ignored signal stays ignored
    // across execve: give the container the default behaviour back.
    sys::signals::reset_to_default(libc::SIGPIPE);
    sys::signals::reset_to_default(libc::SIGXFSZ);
    trace::send_to_fd(CONTROL_FD);
    record_userns_calls();
    record_own_exec();

    let plan = match sys::fds::read_plan(CONTROL_FD).map_err(|e| e.to_string()).and_then(|t| plan::parse(&t)) {
        Ok(steps) => steps,
        Err(reason) => fail(&format!("kit-init: no plan: {}", reason), 125),
    };
    for (i, step) in plan.iter().enumerate() {
        trace::set_step(Some(i));
        if let Err(code) = run(step) {
            unsafe { libc::_exit(code) };
        }
    }
    unsafe { libc::_exit(0) };
}

/// The exec of kit-init itself happened between clone() and now, in a child
/// that could not record anything; report it so the trace has no gap.
fn record_own_exec() {
    let me = std::env::current_exe().map(|p| p.display().to_string()).unwrap_or_default();
    trace::record(Event {
        syscall: "execve",
        args: vec![kit_native::decode::quoted(Some(&me)), kit_native::decode::string_array(&std::env::args().collect::<Vec<_>>()), "[/* 0 vars */]".into()],
        ret: 0,
        errno: None,
        duration_us: 0,
        step: None,
        pending: false,
    });
}

/// In a new user namespace the clone child became root there before it
/// exec'd this program (sys/userns_child.rs); argv[1] says which calls it
/// made. They succeeded: a refused one would have ended it with 125.
fn record_userns_calls() {
    let mode = std::env::args().nth(1).unwrap_or_default();
    let calls: &[(&'static str, &[&str])] = match mode.as_str() {
        sys::userns_child::ARG_SETGROUPS => &[("setgroups", &["0", "[]"]), ("setresgid", &["0", "0", "0"]), ("setresuid", &["0", "0", "0"])],
        sys::userns_child::ARG_IDS => &[("setresgid", &["0", "0", "0"]), ("setresuid", &["0", "0", "0"])],
        _ => &[],
    };
    for (syscall, args) in calls {
        trace::record(Event {
            syscall,
            args: args.iter().map(|a| a.to_string()).collect(),
            ret: 0,
            errno: None,
            duration_us: 0,
            step: None,
            pending: false,
        });
    }
}

fn fail(message: &str, code: i32) -> ! {
    eprintln!("{}", message);
    unsafe { libc::_exit(code) }
}

/// Run one plan step. Err carries the exit code; the failed call's event has
/// already been sent to the host, which turns it into the user's error.
fn run(step: &ContainerStep) -> Result<(), i32> {
    dispatch(step).map(|_| ()).map_err(|_| 125)
}

/// Every step is one wrapper in kit_native::sys; the match is exhaustive, so
/// a step added to ContainerStep and not here fails to build.
fn dispatch(step: &ContainerStep) -> sys::SysResult {
    use ContainerStep::*;
    match step {
        Sethostname { name } => sys::hostname::sethostname(name),
        Mount { source, target, fstype, flags, data } => sys::mount::mount(source, target, fstype, *flags as u64, data),
        Umount { target, flags } => sys::mount::umount2(target, *flags),
        PivotRoot { new_root, put_old } => sys::pivot_root::pivot_root(new_root, put_old),
        Chroot { path } => sys::chroot::chroot(path),
        Chdir { path } => sys::chroot::chdir(path),
        Fchdir { fd } => sys::chroot::fchdir(*fd),
        OpenDir { path, fd } => sys::open::open_dir_as(path, *fd),
        Mkdir { path, mode } => sys::files::mkdir(path, *mode),
        Rmdir { path } => sys::files::rmdir(path),
        Mknod { path, mode, major, minor } => sys::files::mknod(path, *mode, *major, *minor),
        Chmod { path, mode } => sys::files::chmod(path, *mode),
        Symlink { target, linkpath } => sys::files::symlink(target, linkpath),
        Write { path, data } => sys::files::write_file(path, data),
        Unshare { flags } => sys::unshare::unshare(*flags as u64),
        Setns { path, nstype } => sys::setns::setns(path, *nstype as u64),
        LinkSet { link, name, mac, up } => {
            let change = sys::netlink::LinkChange { name: non_empty(name), mac: non_empty(mac), up: *up, ..Default::default() };
            sys::netlink::set_link(link, &change)
        }
        AddrAdd { link, address, prefix } => sys::netlink::add_address(link, address, *prefix as u8),
        RouteAddDefault { gateway } => sys::netlink::add_default_route(gateway),
        CapbsetDrop { caps } => confine::drop_bounding(caps),
        Capset { effective, permitted, inheritable } => sys::capset::capset(*effective as u64, *permitted as u64, *inheritable as u64),
        AmbientClear => sys::prctl::clear_ambient(),
        NoNewPrivs => sys::prctl::set_no_new_privs(),
        Seccomp { default_action, match_action, rules } => {
            confine::seccomp(default_action, match_action, rules).unwrap_or_else(|bad| fail(&format!("kit-init: bad seccomp filter: {}", bad), 125))
        }
        DeviceProgram { cgroup, rules } => {
            kit_native::device_program::install(cgroup, rules).unwrap_or_else(|bad| fail(&format!("kit-init: bad device rule: {}", bad), 125))
        }
        Try { attempt } => {
            let _ = attempt_call(attempt); // refused or not, the trace has it and the plan goes on
            Ok(0)
        }
        Fork => fork_and_wait(),
        ChrootEscape { dir } => chroot_escape::chroot_escape(dir),
        Console { socket, rows, cols, owner } => console::console(*socket, *rows as u16, *cols as u16, u32::try_from(*owner).ok()),
        HoldAtExec => {
            let _ = sys::ptrace::traceme(); // refused, the command runs unheld: the trace says so
            Ok(0)
        }
        Setrlimit { resource, soft, hard } => sys::rlimit::setrlimit(*resource, *soft, *hard),
        Umask { mask } => sys::rlimit::umask(*mask),
        SetUser { uid, gid, groups } => set_user(*uid, *gid, groups),
        ExecWait { fd } => exec_wait(*fd),
        Reaper => reaper::reaper(CONTROL_FD),
        Exec { path, argv, env } => exec(path, argv, env),
    }
}

/// A step's empty string: "leave it as it is".
fn non_empty(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

fn attempt_call(attempt: &Attempt) -> sys::SysResult {
    match attempt {
        Attempt::Mount { source, target, fstype, flags, data } => sys::mount::mount(source, target, fstype, *flags as u64, data),
        Attempt::Swapoff { path } => sys::swapoff::swapoff(path),
        Attempt::ChrootEscape { dir } => chroot_escape::chroot_escape(dir),
    }
}

/// The child goes on with the plan; this process waits and exits as it did,
/// so the host's wait4 sees the command's status.
fn fork_and_wait() -> sys::SysResult {
    let pid = sys::fork::fork()?;
    if pid == 0 {
        return Ok(0);
    }
    sys::fds::close_untraced(CONTROL_FD); // the host sees EOF when the child execs
    sys::signals::exit_as(sys::fork::wait_status(pid as i32))
}

/// runc's order: groups, then gid, then uid (after which setgroups and
/// setresgid would be refused); capabilities kept across the uid change.
fn set_user(uid: u32, gid: u32, groups: &[u32]) -> sys::SysResult {
    sys::prctl::keep_caps(true)?;
    sys::user::setgroups(groups)?;
    sys::user::setresgid(gid)?;
    sys::user::setresuid(uid)?;
    sys::prctl::keep_caps(false)
}

/// Wait for `kit-runtime start`. The host that created the container sees
/// the control socket close and exits; the open(2) of the FIFO blocks until
/// start opens its read end. Its event, and every later one (execve), then
/// goes to the FIFO, where start reads them; the fd is O_CLOEXEC, so start
/// sees EOF once the command runs.
fn exec_wait(fifo: i32) -> sys::SysResult {
    trace::hold();
    sys::fds::close_untraced(CONTROL_FD);
    let opened = sys::open::open_write(&format!("/proc/self/fd/{}", fifo));
    if let Ok(fd) = opened {
        trace::release_to_fd(fd as i32);
        sys::fds::close_untraced(fifo);
    }
    opened
}

/// execve the command: never returns on success.
fn exec(path: &str, argv: &[String], env: &[String]) -> ! {
    sys::fds::set_cloexec(CONTROL_FD);
    let errno = sys::exec::execve(path, argv, env);
    unsafe { libc::_exit(if errno == libc::ENOENT { 127 } else { 126 }) }
}
