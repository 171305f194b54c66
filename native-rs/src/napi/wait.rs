//! wait(pid): wait4(2) as a napi-rs async task. wait4 blocks until the
//! container's first process ends, so it runs on libuv's thread pool and
//! Node's main thread stays free (to take Ctrl-C, to read the container's
//! output).
use napi::bindgen_prelude::AsyncTask;
use napi::{Env, Task};
use napi_derive::napi;

use crate::sys::wait::{wait4, Exit};
use crate::trace;

/// How the container's first process ended.
#[napi(object)]
pub struct WaitResult {
    /// wait4's return: the pid, or -1.
    pub ret: i64,
    /// The raw wait status (exit code or signal; core/engine/exit-status.ts decodes it).
    pub status: i32,
    /// errno when wait4 failed, else 0.
    pub errno: i32,
    /// wait4's own trace event (a JSON array), handed back with its result
    /// rather than left in the buffer for whichever call drains next.
    pub trace: String,
}

pub struct WaitTask {
    pid: i32,
}

impl Task for WaitTask {
    type Output = (Exit, String);
    type JsValue = WaitResult;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(trace::capture(|| wait4(self.pid)))
    }

    fn resolve(&mut self, _env: Env, (exit, events): Self::Output) -> napi::Result<WaitResult> {
        Ok(WaitResult { ret: exit.ret, status: exit.status, errno: exit.errno.unwrap_or(0), trace: events })
    }
}

/// Reap `pid` off the main thread.
#[napi(ts_return_type = "Promise<WaitResult>")]
pub fn wait(pid: i32) -> AsyncTask<WaitTask> {
    AsyncTask::new(WaitTask { pid })
}
