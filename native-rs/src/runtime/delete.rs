//! `delete [--force] ID` of a stopped container, as core/oci/lifecycle.ts's
//! deleteContainer: its journal (core/host/journal.ts) replayed newest
//! first. A kit-runtime container's journal holds two kinds of record, the
//! ones replayed here, as core undoes them:
//! - `cgroup` (core/cgroups/undo.ts): rmdir of the container's cgroup, then
//!   of its shared parent if empty;
//! - `remove` (core/host/remove-tree.ts): its state dirs, renamed off their
//!   name first, then removed.
//!
//! Any other kind, a cgroup still holding a process, an error: Node replays
//! the journal (again: every undo treats "already gone" as done).
use std::path::Path;

use kit_native::sys::{self, libc};
use kit_native::trace;
use serde_json::Value;

use crate::state::{self, Status};
use crate::trace_file::Section;
use crate::Outcome;

/// core/cgroups/lifecycle.ts's whys for the two rmdirs.
const WHY_CGROUP: &str = "undo: remove the container's cgroup, now empty";
const WHY_PARENT: &str = "undo: remove the shared kit/ parent, unless another container is in it (EBUSY/ENOTEMPTY)";

pub fn delete(root: &str, id: &str) -> Outcome {
    let Some(container) = state::read(root, id) else { return Outcome::Node };
    if container.poststop || state::status(&container) != Status::Stopped {
        return Outcome::Node;
    }
    let Ok(journal) = std::fs::read_to_string(container.dir.join("journal")) else { return Outcome::Node };
    // A line cut short by a crash mid-write is skipped, as core skips it: its change never happened.
    let records: Vec<Value> = journal.lines().filter_map(|line| serde_json::from_str(line).ok()).collect();
    if !records.iter().all(|r| matches!(op(r), "cgroup" | "remove")) {
        return Outcome::Node;
    }
    let mut section = Section::new(&container.trace, "delete");
    for record in records.iter().rev() {
        let path = record.get("path").and_then(Value::as_str);
        let done = match (op(record), path) {
            ("cgroup", Some(path)) => remove_cgroup(&mut section, path, record.get("parent").and_then(Value::as_str)),
            ("remove", Some(path)) => remove_tree(Path::new(path)),
            _ => false,
        };
        if !done {
            return Outcome::Node;
        }
    }
    Outcome::Done
}

fn op(record: &Value) -> &str {
    record.get("op").and_then(Value::as_str).unwrap_or("")
}

/// rmdir of an empty cgroup; one with a process left in it is Node's (it ends them first).
fn remove_cgroup(section: &mut Section, path: &str, parent: Option<&str>) -> bool {
    match std::fs::read_to_string(Path::new(path).join("cgroup.procs")) {
        Ok(procs) if !procs.trim().is_empty() => return false,
        _ => {}
    }
    let (ret, events) = trace::capture(|| sys::files::rmdir(path));
    section.add(&events, Some(WHY_CGROUP));
    if !matches!(ret, Ok(_) | Err(libc::ENOENT)) {
        return false;
    }
    let Some(parent) = parent else { return true };
    let (ret, events) = trace::capture(|| sys::files::rmdir(parent));
    section.add(&events, Some(WHY_PARENT));
    matches!(ret, Ok(_) | Err(libc::ENOENT | libc::EBUSY | libc::ENOTEMPTY))
}

/// rm -rf in two steps, as removeTree: a rename takes the tree off its name
/// (a dot name, which readers of a state dir skip), then it goes.
fn remove_tree(path: &Path) -> bool {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else { return false };
    let doomed = dir.join(format!(".{}.removing-{}", name.to_string_lossy(), std::process::id()));
    match std::fs::rename(path, &doomed) {
        Ok(()) => {}
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return true,
        Err(_) => return false, // EBUSY (a mount on it), the hidden name taken: Node knows what to do
    }
    match std::fs::symlink_metadata(&doomed) {
        Ok(meta) if meta.is_dir() => std::fs::remove_dir_all(&doomed).is_ok(),
        Ok(_) => std::fs::remove_file(&doomed).is_ok(),
        Err(_) => true,
    }
}
