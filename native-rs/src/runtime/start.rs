//! `start ID`, as core/oci/lifecycle.ts's startContainer: open exec.fifo
//! for reading, which lets the container's init (blocked opening its write
//! end) go on to its execve; read what it traces until the FIFO closes on
//! that execve (O_CLOEXEC); remove exec.fifo. The lines go to the trace as
//! they came (kit-init's events; `kit runtime trace` gives them their why).
//!
//! Only the case where the command now runs is finished here. If the init
//! reports a failed call or dies first, what was read is left in
//! <dir>/start.read and Node finishes the start from it: the error line,
//! its exit code (126, 127) and the trace are core's.
use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::time::Duration;

use kit_native::sys::libc;

use crate::state::{self, Container, Status};
use crate::trace_file::Section;
use crate::Outcome;

pub fn start(root: &str, id: &str) -> Outcome {
    let Some(container) = state::read(root, id) else { return Outcome::Node };
    if container.poststart || state::status(&container) != Status::Created {
        return Outcome::Node;
    }
    let fifo = container.dir.join("exec.fifo");
    let Ok(path) = CString::new(fifo.as_os_str().as_bytes()) else { return Outcome::Node };
    // Not traced, as Node's openSync in startContainer is not: the init's side of it is (its open returns).
    let fd = unsafe { libc::open(path.as_ptr(), libc::O_RDONLY | libc::O_NONBLOCK | libc::O_NOFOLLOW | libc::O_CLOEXEC) };
    if fd < 0 {
        return Outcome::Node;
    }
    let read = read_fifo(fd, &container);
    unsafe { libc::close(fd) };
    let text = String::from_utf8_lossy(&read.unwrap_or_default()).into_owned();
    let lines: Vec<String> = text.lines().filter(|l| !l.trim().is_empty()).map(String::from).collect();
    if lines.is_empty() || lines.iter().any(|line| failed(line)) {
        return hand_over(&container, &text);
    }
    let _ = std::fs::remove_file(&fifo);
    Section::new(&container.trace, "start").add(&lines, None);
    Outcome::Done
}

/// Until EOF. Opened O_NONBLOCK, a read returns 0 both before the writer has
/// opened it and after it closed it: so EOF counts only once something came
/// (init's first line), and the wait ends if init dies. None: a read error.
fn read_fifo(fd: i32, container: &Container) -> Option<Vec<u8>> {
    let mut received = Vec::new();
    let mut buffer = vec![0u8; 65536];
    loop {
        let n = unsafe { libc::read(fd, buffer.as_mut_ptr() as *mut _, buffer.len()) };
        if n > 0 {
            received.extend_from_slice(&buffer[..n as usize]);
            continue;
        }
        if n < 0 && kit_native::sys::errno() != libc::EAGAIN && kit_native::sys::errno() != libc::EINTR {
            return None;
        }
        if n == 0 && !received.is_empty() {
            return Some(received);
        }
        if state::status(container) == Status::Stopped {
            return Some(received);
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// A trace event (kit_native::trace's JSON) of a call that failed; a line that is no event counts as one.
fn failed(line: &str) -> bool {
    match serde_json::from_str::<serde_json::Value>(line) {
        Ok(event) => event.get("errno").is_none_or(|errno| !errno.is_null()),
        Err(_) => true,
    }
}

/// Node finishes the start from what was read: written whole (temp + rename), exec.fifo left in place.
fn hand_over(container: &Container, text: &str) -> Outcome {
    let file = container.dir.join("start.read");
    let tmp = container.dir.join("start.read.tmp");
    if std::fs::write(&tmp, text).is_ok() {
        let _ = std::fs::rename(&tmp, &file);
    }
    Outcome::Node
}
