//! The N-API addon Node loads as native-rs/kit.node. Each export unpacks its
//! JS arguments, calls one wrapper in `sys` and returns the raw result: the
//! syscall's return value, or -errno on failure. The trace event of every
//! call waits in a buffer that JS reads with `drainTrace()`.
//! core/native.ts holds the matching TypeScript types.
use std::os::raw::c_void;
use std::ptr::null_mut;

use crate::sys::{self, SysResult};
use crate::trace;

mod ffi;
mod values;

use ffi::*;
use values::{args, number, number_array, object, string, throw, Args, BadArg};

type Export = fn(&Args) -> Result<napi_value, BadArg>;

const EXPORTS: &[(&str, Export)] = &[
    ("spawn", spawn),
    ("wait", wait),
    ("kill", kill),
    ("pipe", pipe),
    ("socketpair", socketpair),
    ("close", close),
    ("mkdir", mkdir),
    ("rmdir", rmdir),
    ("msgCreate", msg_create),
    ("msgRemove", msg_remove),
    ("mount", mount),
    ("umount2", umount2),
    ("writeFile", write_file),
    ("mknod", mknod),
    ("lchmod", lchmod),
    ("symlink", symlink),
    ("setxattr", setxattr),
    ("getxattr", getxattr),
    ("chdir", chdir),
    ("lockFile", lock_file),
    ("drainTrace", drain_trace),
    ("recvFd", recv_fd),
    ("setWindowSize", set_window_size),
];

fn ret(a: &Args, result: SysResult) -> napi_value {
    number(a.env, match result {
        Ok(v) => v as f64,
        Err(e) => -(e as f64),
    })
}

fn fd_pair(a: &Args, result: Result<[i32; 2], i32>) -> napi_value {
    match result {
        Ok([x, y]) => number_array(a.env, &[x as f64, y as f64]),
        Err(e) => number(a.env, -(e as f64)),
    }
}

/// spawn(flags, initPath, fds): clone + exec kit-init; returns the host pid.
fn spawn(a: &Args) -> Result<napi_value, BadArg> {
    let fds: Vec<i32> = a.numbers(2)?.into_iter().map(|f| f as i32).collect();
    Ok(ret(a, sys::clone::spawn(a.number(0)? as u64, &a.string(1)?, &fds)))
}

/// recvFd(socket): an fd sent over it (SCM_RIGHTS), -EAGAIN while none has come, -EPIPE at EOF.
fn recv_fd(a: &Args) -> Result<napi_value, BadArg> {
    Ok(ret(a, sys::fd_passing::recv_fd(a.int(0)?)))
}

/// setWindowSize(fd, rows, cols): TIOCSWINSZ on a terminal (kit's end of the container's pty).
fn set_window_size(a: &Args) -> Result<napi_value, BadArg> {
    Ok(ret(a, sys::tty::set_window_size(a.int(0)?, a.int(1)? as u16, a.int(2)? as u16)))
}

fn kill(a: &Args) -> Result<napi_value, BadArg> {
    Ok(ret(a, sys::kill::kill(a.int(0)?, a.int(1)?)))
}

fn pipe(a: &Args) -> Result<napi_value, BadArg> {
    Ok(fd_pair(a, sys::fds::pipe()))
}

fn socketpair(a: &Args) -> Result<napi_value, BadArg> {
    Ok(fd_pair(a, sys::fds::socketpair()))
}

fn close(a: &Args) -> Result<napi_value, BadArg> {
    Ok(ret(a, sys::fds::close(a.int(0)?)))
}

fn mkdir(a: &Args) -> Result<napi_value, BadArg> {
    Ok(ret(a, sys::files::mkdir(&a.string(0)?, a.number(1)? as u32)))
}

fn rmdir(a: &Args) -> Result<napi_value, BadArg> {
    Ok(ret(a, sys::files::rmdir(&a.string(0)?)))
}

/// msgCreate(key, mode): a new System V message queue; returns its id.
fn msg_create(a: &Args) -> Result<napi_value, BadArg> {
    Ok(ret(a, sys::ipc::msgget_create(a.int(0)?, a.int(1)?)))
}

/// msgRemove(key): remove the queue under key (msgget then IPC_RMID).
fn msg_remove(a: &Args) -> Result<napi_value, BadArg> {
    Ok(ret(a, sys::ipc::msgget(a.int(0)?).and_then(|id| sys::ipc::msgctl_rmid(id as i32))))
}

fn mount(a: &Args) -> Result<napi_value, BadArg> {
    let (src, target, fstype, data) = (a.string(0)?, a.string(1)?, a.string(2)?, a.string(4)?);
    Ok(ret(a, sys::mount::mount(&src, &target, &fstype, a.number(3)? as u64, &data)))
}

fn umount2(a: &Args) -> Result<napi_value, BadArg> {
    Ok(ret(a, sys::mount::umount2(&a.string(0)?, a.int(1)?)))
}

fn write_file(a: &Args) -> Result<napi_value, BadArg> {
    Ok(ret(a, sys::files::write_file(&a.string(0)?, &a.string(1)?)))
}

/// mknod(path, mode, major, minor), mode including the file type bits (S_IFCHR...).
fn mknod(a: &Args) -> Result<napi_value, BadArg> {
    let (mode, major, minor) = (a.number(1)? as u32, a.number(2)? as u32, a.number(3)? as u32);
    Ok(ret(a, sys::files::mknod(&a.string(0)?, mode, major, minor)))
}

/// lchmod(path, mode): fchmodat(AT_SYMLINK_NOFOLLOW), never through a symlink.
fn lchmod(a: &Args) -> Result<napi_value, BadArg> {
    Ok(ret(a, sys::nofollow::lchmod(&a.string(0)?, a.number(1)? as u32)))
}

fn symlink(a: &Args) -> Result<napi_value, BadArg> {
    Ok(ret(a, sys::files::symlink(&a.string(0)?, &a.string(1)?)))
}

fn setxattr(a: &Args) -> Result<napi_value, BadArg> {
    Ok(ret(a, sys::xattr::setxattr(&a.string(0)?, &a.string(1)?, &a.string(2)?)))
}

/// getxattr(path, name): the value as a string, or -errno (ENODATA: not set).
fn getxattr(a: &Args) -> Result<napi_value, BadArg> {
    Ok(match sys::xattr::getxattr(&a.string(0)?, &a.string(1)?) {
        Ok(value) => string(a.env, &value),
        Err(e) => number(a.env, -(e as f64)),
    })
}

/// chdir(path) of the whole process: overlay2 mounts many layers with paths
/// relative to the layer store, as Docker does, when absolute ones would not
/// fit in one page of mount options.
fn chdir(a: &Args) -> Result<napi_value, BadArg> {
    Ok(ret(a, sys::chroot::chdir(&a.string(0)?)))
}

/// lockFile(path): an fd holding an exclusive flock on path; close() unlocks.
fn lock_file(a: &Args) -> Result<napi_value, BadArg> {
    Ok(ret(a, sys::flock::lock_file(&a.string(0)?)))
}

fn drain_trace(a: &Args) -> Result<napi_value, BadArg> {
    Ok(string(a.env, &trace::drain()))
}

/// wait(pid) -> Promise<{ ret, status, errno, trace }>, trace being wait4's
/// own event (JSON array), not left in the shared buffer. wait4 blocks, so it runs on
/// libuv's thread pool: Node's main thread stays free to take Ctrl-C.
struct WaitJob {
    pid: i32,
    exit: Option<(sys::wait::Exit, String)>,
    deferred: napi_deferred,
    work: napi_async_work,
}

fn wait(a: &Args) -> Result<napi_value, BadArg> {
    let job = Box::into_raw(Box::new(WaitJob { pid: a.int(0)?, exit: None, deferred: null_mut(), work: null_mut() }));
    let mut promise = null_mut();
    unsafe {
        napi_create_promise(a.env, &mut (*job).deferred, &mut promise);
        napi_create_async_work(a.env, null_mut(), string(a.env, "kit.wait"), wait_execute, wait_complete, job as *mut c_void, &mut (*job).work);
        napi_queue_async_work(a.env, (*job).work);
    }
    Ok(promise)
}

unsafe extern "C" fn wait_execute(_env: napi_env, data: *mut c_void) {
    let job = &mut *(data as *mut WaitJob);
    job.exit = Some(trace::capture(|| sys::wait::wait4(job.pid)));
}

unsafe extern "C" fn wait_complete(env: napi_env, _status: napi_status, data: *mut c_void) {
    let job = Box::from_raw(data as *mut WaitJob);
    let (exit, events) = job.exit.as_ref().expect("wait4 ran");
    let errno = exit.errno.map_or(0.0, |e| e as f64);
    let fields = [
        ("ret", number(env, exit.ret as f64)),
        ("status", number(env, exit.status as f64)),
        ("errno", number(env, errno)),
        ("trace", string(env, events)),
    ];
    let result = object(env, &fields);
    napi_resolve_deferred(env, job.deferred, result);
    napi_delete_async_work(env, job.work);
}

/// One C entry point per export: N-API callbacks cannot carry a Rust closure,
/// so the table index travels as the callback's data pointer.
unsafe extern "C" fn call_export(env: napi_env, info: napi_callback_info) -> napi_value {
    let mut data: *mut c_void = null_mut();
    let mut argc = 0usize;
    napi_get_cb_info(env, info, &mut argc, null_mut(), null_mut(), &mut data);
    let (_, export) = EXPORTS[data as usize];
    match export(&args(env, info)) {
        Ok(value) => value,
        Err(BadArg(message)) => throw(env, &message),
    }
}

#[no_mangle]
pub unsafe extern "C" fn napi_register_module_v1(env: napi_env, exports: napi_value) -> napi_value {
    for (i, (name, _)) in EXPORTS.iter().enumerate() {
        let mut function = null_mut();
        napi_create_function(env, name.as_ptr() as *const _, name.len(), call_export, i as *mut c_void, &mut function);
        let key = std::ffi::CString::new(*name).unwrap();
        napi_set_named_property(env, exports, key.as_ptr(), function);
    }
    exports
}
