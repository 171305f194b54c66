//! wait(pid) as a napi-rs async task: the container's first process may run
//! for hours, so its end is awaited on libuv's thread pool and Node's main
//! thread stays free (to take Ctrl-C, to read the container's output).
//!
//! The worker only waits (waitid WNOWAIT: the child stays a zombie, its pid
//! still kit's); the reap (wait4) happens on the main thread, in `resolve`,
//! the turn that settles the promise. Until then a kill(pid) from the main
//! thread reaches the zombie, never a new process given the same pid (see
//! sys/wait.rs).
use napi::bindgen_prelude::AsyncTask;
use napi::{Env, Task};
use napi_derive::napi;

use crate::sys::wait::{wait4, wait_exit, Exit};
use crate::sys::SysResult;
use crate::trace;

/// How the container's first process ended.
#[napi(object)]
pub struct WaitResult {
    /// wait4's return: the pid, or -1.
    pub ret: i64,
    /// The raw wait status (exit code or signal; core/engine/exit-status.ts decodes it).
    pub status: i32,
    /// errno when waiting failed, else 0.
    pub errno: i32,
    /// The calls' own trace events (waitid on the worker, then wait4), as a
    /// JSON array, handed back with their result rather than left in the
    /// buffer for whichever call drains next.
    pub trace: String,
}

pub struct WaitTask {
    pid: i32,
}

impl Task for WaitTask {
    type Output = (SysResult, Vec<String>);
    type JsValue = WaitResult;

    /// On a worker thread: block until the child has ended; reap nothing.
    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(trace::capture(|| wait_exit(self.pid)))
    }

    /// On the main thread: reap the zombie (it returns at once).
    fn resolve(&mut self, _env: Env, (ended, mut events): Self::Output) -> napi::Result<WaitResult> {
        let exit = match ended {
            Ok(_) => {
                let (exit, reaped) = trace::capture(|| wait4(self.pid));
                events.extend(reaped);
                exit
            }
            Err(e) => Exit { status: 0, ret: -1, errno: Some(e) },
        };
        Ok(WaitResult { ret: exit.ret, status: exit.status, errno: exit.errno.unwrap_or(0), trace: trace::json_array(&events) })
    }
}

/// Wait for `pid` to end off the main thread, then reap it on the main thread.
#[napi(ts_return_type = "Promise<WaitResult>")]
pub fn wait(pid: i32) -> AsyncTask<WaitTask> {
    AsyncTask::new(WaitTask { pid })
}
