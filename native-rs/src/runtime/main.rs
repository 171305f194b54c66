//! kit-runtime's executable: the native fast path in front of the
//! JavaScript runtime (bin/kit-runtime.js).
//!
//! podman (through conmon) and containerd's shim start the runtime once per
//! verb, several times per container: `podman run --rm` alone is create,
//! start and delete --force. Node needs ~40 ms to start before the first line
//! of kit runs, runc ~5 ms. So the two verbs every container goes through
//! and whose work is small are done here, as runc does them, by reading the
//! files the JavaScript runtime wrote under --root:
//! - `start ID` of a created container with no poststart hook (start.rs);
//! - `delete [--force] ID` of a stopped one with no poststop hook, whose
//!   journal holds only what a kit-runtime container's does: its state
//!   dirs and cgroups (delete.rs).
//!
//! Everything else (create, exec, state, kill, an error to report, a hook to
//! run, a journal record of another kind, a flag not listed here) is handed,
//! argv unchanged, to `node bin/kit-runtime.js` with execve: one process,
//! the same pid, as if it had been called. So the error lines, the --log
//! format and each verb's rules stay in one place (bin/runtime-cli.js and
//! core/oci); the fast path only ever takes the case where nothing can go
//! wrong, and hands over at the first surprise. Its syscalls go through
//! kit_native::sys like the addon's, and are traced in the container's
//! trace file as the JavaScript runtime traces them (trace_file.rs).
//!
//! `KIT_RUNTIME_NATIVE=0` turns the fast path off (every verb in Node).
use std::os::unix::process::CommandExt;
use std::process::Command;

mod delete;
mod start;
mod state;
mod trace_file;

/// Where runc keeps its state is /run/runc; kit-runtime's, when no --root is given (bin/runtime-cli.js).
const DEFAULT_ROOT: &str = "/run/kit-runtime";

/// What the fast path did with a call.
pub enum Outcome {
    /// Done, exit 0.
    Done,
    /// Not for the fast path (or it met a surprise): Node takes the call.
    Node,
}

/// A call the fast path may take: `start ID` or `delete [--force] ID` under `root`.
struct Call {
    root: String,
    verb: Verb,
    id: String,
}

enum Verb {
    Start,
    Delete,
}

fn main() {
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let enabled = std::env::var("KIT_RUNTIME_NATIVE").map_or(true, |v| v != "0");
    let args: Option<Vec<String>> = argv.iter().skip(1).map(|a| a.to_str().map(String::from)).collect();
    if let (true, Some(call)) = (enabled, args.as_deref().and_then(parse)) {
        let outcome = match call.verb {
            Verb::Start => start::start(&call.root, &call.id),
            Verb::Delete => delete::delete(&call.root, &call.id),
        };
        if let Outcome::Done = outcome {
            std::process::exit(0);
        }
    }
    exec_node(&argv[1..]);
}

/// The global flags runc takes and the two verbs; None for anything else.
fn parse(args: &[String]) -> Option<Call> {
    let mut root = DEFAULT_ROOT.to_string();
    let mut i = 0;
    while i < args.len() && args[i].starts_with('-') {
        let (flag, inline) = match args[i].split_once('=') {
            Some((flag, value)) => (flag, Some(value.to_string())),
            None => (args[i].as_str(), None),
        };
        match flag {
            "--root" | "--log" | "--log-format" => {
                let value = match inline {
                    Some(value) => value,
                    None => {
                        i += 1;
                        args.get(i)?.clone()
                    }
                };
                if flag == "--root" {
                    root = value;
                } else if flag == "--log-format" && value != "text" && value != "json" {
                    return None; // Node says what is wrong with it
                }
            }
            "--debug" => {}
            _ => return None,
        }
        i += 1;
    }
    let verb = match args.get(i)?.as_str() {
        "start" => Verb::Start,
        "delete" => Verb::Delete,
        _ => return None,
    };
    let mut operands = Vec::new();
    for arg in &args[i + 1..] {
        match (arg.as_str(), &verb) {
            ("--force" | "-f", Verb::Delete) => {} // stopped or not: the fast path deletes only stopped containers
            (flag, _) if flag.starts_with('-') => return None,
            (operand, _) => operands.push(operand.to_string()),
        }
    }
    match operands.as_slice() {
        [id] if state::valid_id(id) => Some(Call { root, verb, id: id.clone() }),
        _ => None,
    }
}

/// Hand the call to the JavaScript runtime: node (the one `npm run build` ran
/// with, KIT_NODE at build time; else node on the PATH) running
/// bin/kit-runtime.js beside this executable's native-rs/ directory.
fn exec_node(args: &[std::ffi::OsString]) -> ! {
    let script = std::fs::read_link("/proc/self/exe")
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.join("bin").join("kit-runtime.js")));
    let Some(script) = script else {
        eprintln!("kit-runtime: cannot tell where kit is installed (/proc/self/exe)");
        std::process::exit(1);
    };
    let node = option_env!("KIT_NODE").filter(|n| std::path::Path::new(n).exists()).unwrap_or("node");
    // Without NODE_EXTRA_CA_CERTS: Node parses that file at start-up (50-100 ms
    // for a system bundle) and kit-runtime makes no TLS connection (bin/run.js).
    let err = Command::new(node).env_remove("NODE_EXTRA_CA_CERTS").arg(&script).args(args).exec();
    eprintln!("kit-runtime: cannot run {} {}: {}", node, script.display(), err);
    std::process::exit(1);
}
