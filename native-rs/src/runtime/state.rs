//! What the fast path reads of a container the JavaScript runtime created:
//! core/oci/state.ts is the one definition of these files (state.json, its
//! dir under --root, exec.fifo, the journal), and test/system/oci-native.test.ts
//! checks that both read a container the same way. Anything missing or of
//! another shape here means: not for the fast path (Node reads it).
use std::path::PathBuf;

use serde_json::Value;

/// core/oci/state.ts's ID_PATTERN: letters, digits, _ . -, not starting with one of the last three.
pub fn valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphanumeric())
        && id.len() <= 1024
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-')
}

/// A container as state.json has it (core/oci/state.ts: OciContainer).
pub struct Container {
    /// <root>/run/oci/<id>: state.json, journal, exec.fifo.
    pub dir: PathBuf,
    /// <root>/run/oci-traces/<id>.jsonl.
    pub trace: PathBuf,
    /// init: the container's first process, with its start time.
    pub pid: i32,
    pub start_time: u64,
    /// hooks.poststart / hooks.poststop hold a hook: Node runs them.
    pub poststart: bool,
    pub poststop: bool,
}

/// runc's statuses, as far as the fast path tells them apart.
#[derive(PartialEq, Debug)]
pub enum Status {
    /// Its init waits at exec.fifo.
    Created,
    /// Its init has exited (even if not reaped yet), or its pid names another process.
    Stopped,
    /// Running or paused: the fast path does not tell which.
    Other,
}

/// kitPaths with KIT_ROOT=root (core/paths.ts): the state dir is <root>/run.
pub fn read(root: &str, id: &str) -> Option<Container> {
    let state = PathBuf::from(root).join("run");
    let dir = state.join("oci").join(id);
    let json: Value = serde_json::from_slice(&std::fs::read(dir.join("state.json")).ok()?).ok()?;
    let init = json.get("init")?;
    let has_hooks = |point: &str| json.get("hooks").and_then(|h| h.get(point)).and_then(Value::as_array).is_some_and(|a| !a.is_empty());
    Some(Container {
        trace: state.join("oci-traces").join(format!("{}.jsonl", id)),
        pid: i32::try_from(init.get("pid")?.as_i64()?).ok().filter(|pid| *pid > 0)?,
        start_time: init.get("startTime")?.as_u64()?,
        poststart: has_hooks("poststart"),
        poststop: has_hooks("poststop"),
        dir,
    })
}

/// core/oci/state.ts's statusOf, but for paused, which needs the cgroups.
pub fn status(container: &Container) -> Status {
    match process_stat(container.pid) {
        Some((state, start_time)) if state != 'Z' && start_time == container.start_time => {
            if container.dir.join("exec.fifo").exists() {
                Status::Created
            } else {
                Status::Other
            }
        }
        _ => Status::Stopped,
    }
}

/// A process's state letter and start time (field 22 of /proc/<pid>/stat, as core/host/process.ts reads it).
pub fn process_stat(pid: i32) -> Option<(char, u64)> {
    let stat = std::fs::read_to_string(format!("/proc/{}/stat", pid)).ok()?;
    // The command name, in parentheses, may hold spaces: fields are counted after its ')'.
    let fields: Vec<&str> = stat.get(stat.rfind(')')? + 2..)?.split(' ').collect();
    Some((fields.first()?.chars().next()?, fields.get(19)?.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_as_core_takes_them() {
        for id in ["a", "kit-oci-life", "0423076b5008", "a_b.c-d"] {
            assert!(valid_id(id), "{}", id);
        }
        for id in ["", "-a", ".a", "_a", "a/b", "..", "a b"] {
            assert!(!valid_id(id), "{}", id);
        }
    }

    #[test]
    fn this_process_is_alive_with_a_start_time() {
        let (state, start) = process_stat(std::process::id() as i32).unwrap();
        assert_ne!(state, 'Z');
        assert!(start > 0);
    }
}
