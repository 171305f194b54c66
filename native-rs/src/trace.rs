//! Trace events: one per syscall kit makes, on either side of the clone.
//!
//! On the host (the N-API addon) events collect in a buffer that Node drains
//! after each call. Inside the container (kit-init) they are written, one JSON
//! line each, to the control socket the host reads.
use std::sync::Mutex;

#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Side {
    Host,
    Container,
}

#[derive(Debug)]
pub struct Event {
    pub syscall: &'static str,
    /// Arguments already rendered the way strace prints them.
    pub args: Vec<String>,
    pub ret: i64,
    /// errno value when the call failed (ret == -1).
    pub errno: Option<i32>,
    pub duration_us: u64,
    /// Index of the plan step that made the call, when kit-init runs a plan.
    pub step: Option<usize>,
    /// Set on execve's event, written before the call: success is only seen by
    /// the host, when the control socket closes on exec (it is O_CLOEXEC).
    pub pending: bool,
}

enum Sink {
    Buffer(Vec<String>),
    Fd(i32),
}

static SINK: Mutex<Sink> = Mutex::new(Sink::Buffer(Vec::new()));
static SIDE: Mutex<Side> = Mutex::new(Side::Host);
static STEP: Mutex<Option<usize>> = Mutex::new(None);

/// kit-init calls this once: events from now on are container-side and go to `fd`.
pub fn send_to_fd(fd: i32) {
    *SINK.lock().unwrap() = Sink::Fd(fd);
    *SIDE.lock().unwrap() = Side::Container;
}

/// Hold events in memory from now on (the sink is about to change).
pub fn hold() {
    *SINK.lock().unwrap() = Sink::Buffer(Vec::new());
}

/// Send events to `fd` from now on, the held ones first.
pub fn release_to_fd(fd: i32) {
    let mut sink = SINK.lock().unwrap();
    if let Sink::Buffer(held) = &*sink {
        for line in held {
            crate::sys::write_untraced(fd, format!("{}\n", line).as_bytes());
        }
    }
    *sink = Sink::Fd(fd);
}

/// The plan step the following calls belong to.
pub fn set_step(step: Option<usize>) {
    *STEP.lock().unwrap() = step;
}

pub fn current_step() -> Option<usize> {
    *STEP.lock().unwrap()
}

thread_local! {
    /// Events of calls made inside capture() on this thread.
    static CAPTURED: std::cell::RefCell<Option<Vec<String>>> = const { std::cell::RefCell::new(None) };
}

/// Run `work` and return, with its result, the events its calls recorded
/// (each a JSON object), kept out of the shared buffer: a call on a worker
/// thread (waitid) hands its event back with its own result instead of
/// landing in whatever the main thread drains next.
pub fn capture<T>(work: impl FnOnce() -> T) -> (T, Vec<String>) {
    CAPTURED.with(|c| *c.borrow_mut() = Some(Vec::new()));
    let result = work();
    let events = CAPTURED.with(|c| c.borrow_mut().take()).unwrap_or_default();
    (result, events)
}

/// Captured events as the JSON array the addon hands to JS.
pub fn json_array(events: &[String]) -> String {
    format!("[{}]", events.join(","))
}

thread_local! {
    /// The syscall of the last failed call on this thread (see take_last_failure).
    static LAST_FAILURE: std::cell::Cell<Option<&'static str>> = const { std::cell::Cell::new(None) };
}

/// The syscall whose failure was recorded last on this thread, and forget
/// it: the addon names it in the JS error it throws.
pub fn take_last_failure() -> Option<&'static str> {
    LAST_FAILURE.with(|f| f.take())
}

pub fn record(event: Event) {
    if event.errno.is_some() {
        LAST_FAILURE.with(|f| f.set(Some(event.syscall)));
    }
    let line = event.to_json(*SIDE.lock().unwrap());
    let line = match CAPTURED.with(|c| c.borrow_mut().as_mut().map(|events| events.push(line.clone()))) {
        Some(()) => return,
        None => line,
    };
    let mut sink = SINK.lock().unwrap();
    match &mut *sink {
        Sink::Buffer(events) => events.push(line),
        Sink::Fd(fd) => crate::sys::write_untraced(*fd, format!("{}\n", line).as_bytes()),
    }
}

/// The host-side events recorded since the last drain, as a JSON array.
pub fn drain() -> String {
    let mut sink = SINK.lock().unwrap();
    match &mut *sink {
        Sink::Buffer(events) => {
            let out = format!("[{}]", events.join(","));
            events.clear();
            out
        }
        Sink::Fd(_) => "[]".to_string(),
    }
}

impl Event {
    pub fn to_json(&self, side: Side) -> String {
        let args: Vec<String> = self.args.iter().map(|a| json_string(a)).collect();
        let (errno, message) = match self.errno {
            Some(e) => {
                let (name, message) = crate::decode::errno(e);
                (json_string(name), json_string(message))
            }
            None => ("null".to_string(), "null".to_string()),
        };
        let step = match self.step {
            Some(s) => s.to_string(),
            None => "null".to_string(),
        };
        format!(
            "{{\"syscall\":{},\"args\":[{}],\"ret\":{},\"errno\":{},\"errnoMessage\":{},\"durationUs\":{},\"side\":\"{}\",\"step\":{},\"pending\":{}}}",
            json_string(self.syscall),
            args.join(","),
            self.ret,
            errno,
            message,
            self.duration_us,
            if side == Side::Host { "host" } else { "container" },
            step,
            self.pending
        )
    }
}

pub fn json_string(s: &str) -> String {
    crate::decode::escaped(s, |c| format!("\\u{:04x}", c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_json_has_the_documented_fields() {
        let e = Event {
            syscall: "mount",
            args: vec!["\"proc\"".into(), "NULL".into()],
            ret: -1,
            errno: Some(1),
            duration_us: 7,
            step: Some(2),
            pending: false,
        };
        assert_eq!(
            e.to_json(Side::Container),
            r#"{"syscall":"mount","args":["\"proc\"","NULL"],"ret":-1,"errno":"EPERM","errnoMessage":"Operation not permitted","durationUs":7,"side":"container","step":2,"pending":false}"#
        );
    }
}
