//! The Node addon (napi-rs), loaded as native-rs/kit.node: the host side.
//! Each export calls one wrapper in `sys` and returns the syscall's result;
//! a failure throws a JS error naming the syscall and its errno
//! (`error.rs`). Every call's trace event waits in a buffer that JS reads
//! with `drainTrace()`. `napi build` writes the TypeScript declarations of
//! these exports to native-rs/kit.d.ts, which core/native.ts compiles
//! against: renaming or removing an export here fails `tsc`.
use napi::Env;
use napi_derive::napi;

use crate::plan::{self, ContainerStep};
use crate::sys;
use crate::trace;

mod constants;
mod error;
mod sha256_thread;
mod wait;

use error::{ret, syscall};

/// clone(flags) a child that execs kit-init at `initPath`; `fds[i]` becomes
/// its fd i. Returns the child's pid. `dieWithParent` (default true): the
/// child is killed if this process dies (false: kit-runtime create).
#[napi]
pub fn spawn(env: Env, flags: i64, init_path: String, fds: Vec<i32>, die_with_parent: Option<bool>) -> napi::Result<i64> {
    ret(&env, "clone", || sys::clone::spawn(flags as u64, &init_path, &fds, die_with_parent.unwrap_or(true)))
}

/// clone(CLONE_NEWUSER) a child that only waits (pause) in a user namespace
/// of its own, for its maps and its ns fd; the caller kills and reaps it.
#[napi]
pub fn spawn_userns_holder(env: Env) -> napi::Result<i64> {
    ret(&env, "clone", sys::clone::spawn_userns_holder)
}

/// wait4(pid), blocking: for a child known to be ending (a killed holder).
#[napi]
pub fn reap(env: Env, pid: i32) -> napi::Result<i64> {
    let exit = sys::wait::wait4(pid);
    ret(&env, "wait4", || exit.errno.map_or(Ok(exit.ret), Err))
}

/// open(path, O_RDONLY|O_CLOEXEC): the fd (a namespace file, /proc/<pid>/ns/user).
#[napi]
pub fn open_read(env: Env, path: String) -> napi::Result<i64> {
    ret(&env, "open", || sys::open::open_read(&path))
}

/// setns(open(path), nstype) on the calling thread. Used on the host only for
/// CLONE_NEWPID, which the kernel allows a multi-threaded process and which
/// changes only this thread's namespace for its next children (the clone of
/// a container joining a PID namespace by path).
#[napi]
pub fn setns(env: Env, path: String, nstype: i64) -> napi::Result<i64> {
    ret(&env, "setns", || sys::setns::setns(&path, nstype as u64))
}

/// setns(fd, nstype): back to the namespace an fd from openRead names.
#[napi]
pub fn setns_fd(env: Env, fd: i32, nstype: i64) -> napi::Result<i64> {
    ret(&env, "setns", || sys::setns::setns_fd(fd, nstype as u64))
}

/// open_tree(path, OPEN_TREE_CLONE|OPEN_TREE_CLOEXEC): a detached bind mount of `path`, as an fd.
#[napi]
pub fn open_tree_clone(env: Env, path: String) -> napi::Result<i64> {
    ret(&env, "open_tree", || sys::open_tree::open_tree_clone(&path))
}

/// mount_setattr(fd, MOUNT_ATTR_IDMAP, usernsFd): the detached mount shows owners through that namespace's maps.
#[napi]
pub fn mount_set_idmap(env: Env, fd: i32, userns_fd: i32) -> napi::Result<i64> {
    ret(&env, "mount_setattr", || sys::mount_setattr::set_idmap(fd, userns_fd))
}

/// move_mount(fd, target, MOVE_MOUNT_F_EMPTY_PATH): attach the detached mount at `target`.
#[napi]
pub fn move_mount(env: Env, fd: i32, target: String) -> napi::Result<i64> {
    ret(&env, "move_mount", || sys::move_mount::attach(fd, &target))
}

/// The cgroup v2 device rules (`TYPE:MAJOR:MINOR:ACCESS`) as a BPF program,
/// loaded and attached to the cgroup directory `cgroup` by the host: for a
/// container in a user namespace, whose kit-init has no CAP_SYS_ADMIN in the
/// host's namespace to load one. Throws on a bad rule before any call.
#[napi]
pub fn attach_device_program(env: Env, cgroup: String, rules: Vec<String>) -> napi::Result<i64> {
    let mut bad = None;
    let result = ret(&env, "bpf", || crate::device_program::install(&cgroup, &rules).unwrap_or_else(|e| {
        bad = Some(e);
        Ok(0)
    }));
    match bad {
        Some(e) => Err(napi::Error::from_reason(e)),
        None => result,
    }
}

/// An fd sent over the unix socket `socket` (SCM_RIGHTS), without blocking:
/// throws EAGAIN while none has come, EPIPE once the sender closed its end.
#[napi]
pub fn recv_fd(env: Env, socket: i32) -> napi::Result<i64> {
    ret(&env, "recvmsg", || sys::fd_passing::recv_fd(socket))
}

/// A unix stream socket connected to the socket file at `path` (kit-runtime's --console-socket).
#[napi]
pub fn connect_unix(env: Env, path: String) -> napi::Result<i64> {
    ret(&env, "connect", || sys::fd_passing::connect_unix(&path))
}

/// TIOCSWINSZ: a terminal's size in characters (the container sees SIGWINCH).
#[napi]
pub fn set_window_size(env: Env, fd: i32, rows: u32, cols: u32) -> napi::Result<i64> {
    ret(&env, "ioctl", || sys::tty::set_window_size(fd, rows as u16, cols as u16))
}

/// Let a command held at its exec run on (PTRACE_DETACH). Called on Node's
/// main thread, the tracer: the thread that cloned the container.
#[napi]
pub fn release_held(env: Env, pid: i32) -> napi::Result<i64> {
    ret(&env, "ptrace", || sys::ptrace::detach(pid))
}

#[napi]
pub fn kill(env: Env, pid: i32, signal: i32) -> napi::Result<i64> {
    ret(&env, "kill", || sys::kill::kill(pid, signal))
}

/// pipe2(O_CLOEXEC): [read end, write end].
#[napi]
pub fn pipe(env: Env) -> napi::Result<(i32, i32)> {
    syscall(&env, "pipe2", || sys::fds::pipe().map(|[r, w]| (r, w)))
}

/// socketpair(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC).
#[napi]
pub fn socketpair(env: Env) -> napi::Result<(i32, i32)> {
    syscall(&env, "socketpair", || sys::fds::socketpair().map(|[a, b]| (a, b)))
}

#[napi]
pub fn close(env: Env, fd: i32) -> napi::Result<i64> {
    ret(&env, "close", || sys::fds::close(fd))
}

#[napi]
pub fn mkdir(env: Env, path: String, mode: u32) -> napi::Result<i64> {
    ret(&env, "mkdir", || sys::files::mkdir(&path, mode))
}

#[napi]
pub fn rmdir(env: Env, path: String) -> napi::Result<i64> {
    ret(&env, "rmdir", || sys::files::rmdir(&path))
}

/// A new System V message queue under `key` (IPC_CREAT|IPC_EXCL); its id.
#[napi]
pub fn msg_create(env: Env, key: i32, mode: i32) -> napi::Result<i64> {
    ret(&env, "msgget", || sys::ipc::msgget_create(key, mode))
}

/// Remove the message queue under `key` (msgget, then msgctl IPC_RMID).
#[napi]
pub fn msg_remove(env: Env, key: i32) -> napi::Result<i64> {
    ret(&env, "msgctl", || sys::ipc::msgget(key).and_then(|id| sys::ipc::msgctl_rmid(id as i32)))
}

/// mount(source, target, fstype, flags, data); an empty string stands for NULL.
#[napi]
pub fn mount(env: Env, source: String, target: String, fstype: String, flags: i64, data: String) -> napi::Result<i64> {
    ret(&env, "mount", || sys::mount::mount(&source, &target, &fstype, flags as u64, &data))
}

#[napi]
pub fn umount2(env: Env, target: String, flags: i32) -> napi::Result<i64> {
    ret(&env, "umount2", || sys::mount::umount2(&target, flags))
}

/// open + one write(2) + close: a kernel knob's value in a single write.
#[napi]
pub fn write_file(env: Env, path: String, data: String) -> napi::Result<i64> {
    ret(&env, "write", || sys::files::write_file(&path, &data))
}

/// rtnetlink RTM_NEWLINK: `ip link add HOST type veth peer name PEER`.
#[napi]
pub fn veth_add(env: Env, host: String, peer: String) -> napi::Result<i64> {
    ret(&env, "RTM_NEWLINK", || sys::netlink::add_veth(&host, &peer))
}

/// rtnetlink RTM_NEWLINK: `ip link add NAME type bridge`.
#[napi]
pub fn bridge_add(env: Env, name: String) -> napi::Result<i64> {
    ret(&env, "RTM_NEWLINK", || sys::netlink::add_bridge(&name))
}

/// rtnetlink RTM_DELLINK: `ip link delete LINK`.
#[napi]
pub fn link_delete(env: Env, link: String) -> napi::Result<i64> {
    ret(&env, "RTM_DELLINK", || sys::netlink::delete_link(&link))
}

/// rtnetlink RTM_NEWADDR: `ip addr add ADDRESS/PREFIX dev LINK` (IPv4), in the host's namespace.
#[napi]
pub fn addr_add(env: Env, link: String, address: String, prefix: u32) -> napi::Result<i64> {
    ret(&env, "RTM_NEWADDR", || sys::netlink::add_address(&link, &address, prefix as u8))
}

/// rtnetlink RTM_NEWLINK: `ip link set LINK [master MASTER] [up]` (an empty master: unchanged).
#[napi]
pub fn link_set(env: Env, link: String, master: String, up: bool) -> napi::Result<i64> {
    let change = sys::netlink::LinkChange { master: (!master.is_empty()).then_some(master.as_str()), up, ..Default::default() };
    ret(&env, "RTM_NEWLINK", || sys::netlink::set_link(&link, &change))
}

/// rtnetlink RTM_NEWLINK: `ip link set LINK netns PID`, by an fd of `netnsPath` (/proc/PID/ns/net).
#[napi]
pub fn link_set_netns(env: Env, link: String, netns_path: String) -> napi::Result<i64> {
    ret(&env, "RTM_NEWLINK", || sys::netlink::move_to_netns(&link, &netns_path))
}

/// mknod(path, mode, makedev(major, minor)), `mode` including the file type (S_IFCHR | 0o666...).
#[napi]
pub fn mknod(env: Env, path: String, mode: u32, major: u32, minor: u32) -> napi::Result<i64> {
    ret(&env, "mknod", || sys::files::mknod(&path, mode, major, minor))
}

/// fchmodat(AT_SYMLINK_NOFOLLOW): the mode of the path itself, never a symlink's target (EOPNOTSUPP on a symlink).
#[napi]
pub fn lchmod(env: Env, path: String, mode: u32) -> napi::Result<i64> {
    ret(&env, "fchmodat", || sys::nofollow::lchmod(&path, mode))
}

#[napi]
pub fn symlink(env: Env, target: String, linkpath: String) -> napi::Result<i64> {
    ret(&env, "symlink", || sys::files::symlink(&target, &linkpath))
}

#[napi]
pub fn setxattr(env: Env, path: String, name: String, value: String) -> napi::Result<i64> {
    ret(&env, "lsetxattr", || sys::xattr::setxattr(&path, &name, &value))
}

/// The attribute's value; throws ENODATA when it is not set.
#[napi]
pub fn getxattr(env: Env, path: String, name: String) -> napi::Result<String> {
    syscall(&env, "lgetxattr", || sys::xattr::getxattr(&path, &name))
}

/// chdir(path) of the whole process: overlay2 mounts many layers with paths
/// relative to the layer store, as Docker does, when absolute ones would not
/// fit in one page of mount options.
#[napi]
pub fn chdir(env: Env, path: String) -> napi::Result<i64> {
    ret(&env, "chdir", || sys::chroot::chdir(&path))
}

/// openat2(rootFd, path, {flags, mode, RESOLVE_IN_ROOT}): a path inside a
/// container's root, never leaving it (kit cp).
#[napi]
pub fn open_in_root(env: Env, root_fd: i32, path: String, flags: i32, mode: u32) -> napi::Result<i64> {
    ret(&env, "openat2", || sys::openat2::open_in_root(root_fd, &path, flags, mode))
}

/// open(path, O_CREAT) + flock(LOCK_EX): the fd holding the lock; close() unlocks.
#[napi]
pub fn lock_file(env: Env, path: String) -> napi::Result<i64> {
    ret(&env, "flock", || sys::flock::lock_file(&path))
}

/// The container's plan as kit-init reads it from the control socket
/// (src/plan.rs). Each step is checked against ContainerStep on the way in:
/// a step kit-init does not know throws here, before anything is started.
#[napi]
pub fn encode_plan(steps: Vec<ContainerStep>) -> String {
    plan::encode(&steps)
}

/// The events recorded since the last call, as a JSON array.
#[napi]
pub fn drain_trace() -> String {
    trace::drain()
}
