//! kit's native core.
//!
//! - `sys`: one traced wrapper per syscall. Every call kit makes on the host or
//!   inside a container goes through `sys::traced`, which records a trace event.
//! - `decode`: turns flag words and errno values into the names strace prints.
//! - `trace`: the event model and where events go (a buffer the addon drains,
//!   or the control socket when running as kit-init inside the container).
//! - `napi`: the Node addon (napi-rs), host side only: built with the `addon`
//!   feature, so kit-init never links it.
//! - `plan`: the wire format of container-side steps that kit-init executes.
//! - `hash_thread`: sha256 on a thread of its own over a shared ring (a large
//!   layer import hashes on one core while it writes on the other).
pub mod decode;
#[cfg(feature = "addon")]
mod napi;
pub mod device_program;
pub mod hash_thread;
pub mod plan;
pub mod seccomp_filter;
pub mod sys;
pub mod trace;
