//! A failed syscall as a JS error, shaped like Node's own (fs, child_process):
//! `code` is the errno name, `errno` its number, `syscall` the call that
//! failed, and the message reads `mount: EPERM (Operation not permitted)`.
use napi::bindgen_prelude::{JsObjectValue, JsValue};
use napi::Env;

use crate::decode;
use crate::sys::SysResult;
use crate::trace;

/// Run one export's calls; a failure becomes the JS error of the syscall that
/// failed (the last traced call that set errno), `export` when none did (an
/// argument refused before any call, e.g. a string with a NUL).
pub fn syscall<T>(env: &Env, export: &'static str, call: impl FnOnce() -> Result<T, i32>) -> napi::Result<T> {
    trace::take_last_failure();
    call().map_err(|errno| error(env, trace::take_last_failure().unwrap_or(export), errno))
}

/// [`syscall`] for the usual wrapper result: the syscall's return value.
pub fn ret(env: &Env, export: &'static str, call: impl FnOnce() -> SysResult) -> napi::Result<i64> {
    syscall(env, export, call)
}

fn error(env: &Env, syscall: &str, errno: i32) -> napi::Error {
    let (name, message) = decode::errno(errno);
    let reason = format!("{}: {} ({})", syscall, name, message);
    let build = || -> napi::Result<napi::Error> {
        let mut object = env.create_error(napi::Error::from_reason(reason.clone()))?;
        object.set_named_property("code", name)?;
        object.set_named_property("errno", errno)?;
        object.set_named_property("syscall", syscall)?;
        Ok(napi::Error::from(object.to_unknown()))
    };
    build().unwrap_or_else(|_| napi::Error::from_reason(reason))
}
