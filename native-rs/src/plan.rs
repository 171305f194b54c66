//! The container side of a plan: the steps kit-init runs inside the new
//! namespaces, one syscall wrapper each, ending with the command's execve.
//!
//! One type for the whole boundary. `napi build` turns [`ContainerStep`] into
//! the TypeScript union core/plan builds steps with (`{ op: 'mount', source,
//! target, ... }` in native-rs/kit.d.ts), so a step added or changed here and
//! not there fails `tsc`. The addon checks the steps JS hands it against the
//! same type (`encodePlan`) and writes them to the control socket, one JSON
//! object per line, closed by a line `end`; kit-init reads them back into it
//! with [`parse`] and dispatches on it (src/init/main.rs) with an exhaustive
//! match, so a step kit-init cannot run fails `cargo build`.
use serde::{Deserialize, Serialize};

/// One step of a container's plan. Numbers that are flag words (clone,
/// mount) are i64 here: JS numbers, exact up to 2^53.
#[cfg_attr(feature = "addon", napi_derive::napi(discriminant = "op", discriminant_case = "snake_case"))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op")]
pub enum ContainerStep {
    /// sethostname(2): the name this UTS namespace reports.
    Sethostname { name: String },
    /// mount(2); an empty source, fstype or data stands for NULL.
    Mount { source: String, target: String, fstype: String, flags: i64, data: String },
    /// umount2(2) with MNT_* flags.
    Umount { target: String, flags: i32 },
    /// pivot_root(2): `newRoot` becomes "/", the old root moves to `putOld`.
    PivotRoot { new_root: String, put_old: String },
    /// chroot(2).
    Chroot { path: String },
    /// chdir(2).
    Chdir { path: String },
    /// fchdir(2) to an fd an earlier `open_dir` step placed.
    Fchdir { fd: i32 },
    /// open(2) a directory and keep it as fd number `fd` (dup3 when needed).
    OpenDir { path: String, fd: i32 },
    /// mkdir(2); the umask applies.
    Mkdir { path: String, mode: u32 },
    /// rmdir(2).
    Rmdir { path: String },
    /// mknod(2) of makedev(major, minor); `mode` includes the file type (S_IFCHR...).
    Mknod { path: String, mode: u32, major: u32, minor: u32 },
    /// chmod(2).
    Chmod { path: String, mode: u32 },
    /// symlink(2): `linkpath` -> `target`.
    Symlink { target: String, linkpath: String },
    /// open + one write(2) of `data`: a kernel knob's value.
    Write { path: String, data: String },
    /// unshare(2) with CLONE_NEW* flags.
    Unshare { flags: i64 },
    /// setns(2) into the namespace file at `path`, of type `nstype` (a CLONE_NEW* flag).
    Setns { path: String, nstype: i64 },
    /// rtnetlink RTM_NEWLINK on a link of the container's network namespace
    /// (`ip link set LINK name NAME address MAC up`); an empty `name` or
    /// `mac` leaves it as it is (src/sys/netlink.rs).
    LinkSet { link: String, name: String, mac: String, up: bool },
    /// rtnetlink RTM_NEWADDR: `ip addr add ADDRESS/PREFIX dev LINK` (IPv4).
    AddrAdd { link: String, address: String, prefix: u32 },
    /// rtnetlink RTM_NEWROUTE: `ip route add default via GATEWAY`.
    RouteAddDefault { gateway: String },
    /// prctl(PR_CAPBSET_DROP) of each capability (by number) from the bounding set.
    CapbsetDrop { caps: Vec<u32> },
    /// capset(2): the three sets, each a mask (bit N = capability N).
    Capset { effective: i64, permitted: i64, inheritable: i64 },
    /// prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL).
    AmbientClear,
    /// prctl(PR_SET_NO_NEW_PRIVS, 1).
    NoNewPrivs,
    /// seccomp(SECCOMP_SET_MODE_FILTER) of one filter: the action when no rule
    /// matches, the action when one does, the rules (src/seccomp_filter.rs).
    Seccomp { default_action: String, match_action: String, rules: Vec<String> },
    /// cgroup v2's device rules (`c:1:3:rwm`, first match allows) as a BPF
    /// program attached to the container's cgroup directory `cgroup`.
    DeviceProgram { cgroup: String, rules: Vec<String> },
    /// A call a chapter makes on purpose to show it refused (by seccomp, for
    /// a dropped capability): its result is in the trace, the plan goes on.
    Try { attempt: Attempt },
    /// fork(2): the child goes on with the plan, kit-init waits and exits as it did.
    Fork,
    /// The classic chroot escape from a fresh directory `dir` (src/init/chroot_escape.rs).
    ChrootEscape { dir: String },
    /// `kit run -t`: a pty in the container's devpts, its master sent to kit
    /// over the unix socket at fd `socket`, its slave the controlling terminal
    /// and fds 0-2 (src/init/console.rs); a size of 0 leaves it as it is.
    /// `owner`: the uid the slave is given (the command's -u user); -1 leaves it root's.
    Console { socket: i32, rows: u32, cols: u32, owner: i64 },
    /// ptrace(PTRACE_TRACEME) just before the exec: the command stops at its
    /// first instruction until the host lets it go (sys/ptrace.rs). Refused
    /// (already traced by strace, a seccomp filter), the command just runs.
    HoldAtExec,
    /// setrlimit(2) of resource number `resource`; a negative value is RLIM_INFINITY.
    Setrlimit { resource: u32, soft: i64, hard: i64 },
    /// umask(2): the command's file-creation mask.
    Umask { mask: u32 },
    /// The command's user: prctl(PR_SET_KEEPCAPS), setgroups, setresgid,
    /// setresuid, keepcaps off again (src/sys/user.rs).
    SetUser { uid: u32, gid: u32, groups: Vec<u32> },
    /// kit-runtime's create/start split: close the control socket (the host
    /// that made the container may exit now), then block opening the FIFO
    /// whose O_PATH fd is `fd` for writing, until `kit-runtime start` opens it
    /// for reading; the rest of the trace goes to the FIFO.
    ExecWait { fd: i32 },
    /// `kit run --init`: fork; the child goes on with the plan, this process
    /// stays PID 1, reaps every orphan and passes signals on (src/init/reaper.rs).
    Reaper,
    /// execve(2) of the container's command: the last step.
    Exec { path: String, argv: Vec<String>, env: Vec<String> },
}

/// The calls a `try` step may attempt (core/curriculum/demos/attempts.ts).
#[cfg_attr(feature = "addon", napi_derive::napi(discriminant = "op", discriminant_case = "snake_case"))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op")]
pub enum Attempt {
    /// mount(2), as the Mount step.
    Mount { source: String, target: String, fstype: String, flags: i64, data: String },
    /// swapoff(2) of `path`.
    Swapoff { path: String },
    /// The chroot escape, as the ChrootEscape step.
    ChrootEscape { dir: String },
}

/// The line that closes a plan: no JSON object is a bare `end`.
pub const END: &str = "end";

/// The wire form of `steps`: one JSON object per line, then `end`.
pub fn encode(steps: &[ContainerStep]) -> String {
    let mut out = String::new();
    for step in steps {
        // A step is strings, numbers and string lists: it always serialises.
        out.push_str(&serde_json::to_string(step).expect("a step serialises"));
        out.push('\n');
    }
    out.push_str(END);
    out.push('\n');
    out
}

/// Parse the text before the `end` line. Err if a line is not a step kit-init
/// knows, or the plan was cut short.
pub fn parse(text: &str) -> Result<Vec<ContainerStep>, String> {
    let mut steps = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        if line == END {
            return Ok(steps);
        }
        steps.push(serde_json::from_str(line).map_err(|e| format!("step {}: {}", i, e))?);
    }
    Err("plan ended without its `end` line (the host went away?)".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_survive_the_wire_awkward_bytes_included() {
        let steps = vec![
            ContainerStep::Sethostname { name: "box".into() },
            ContainerStep::Write { path: "/f".into(), data: "a\nend\nb\t\\".into() },
            ContainerStep::Exec { path: "/bin/sh".into(), argv: vec!["sh".into(), "-c\techo".into(), "".into()], env: vec![] },
            ContainerStep::Fork,
            ContainerStep::Try { attempt: Attempt::Swapoff { path: "/nowhere".into() } },
        ];
        let text = encode(&steps);
        assert_eq!(text.lines().count(), steps.len() + 1, "a newline in a field cannot end a step or the plan");
        assert_eq!(parse(&text).unwrap(), steps);
    }

    #[test]
    fn the_wire_names_the_op() {
        let text = encode(&[ContainerStep::PivotRoot { new_root: ".".into(), put_old: ".oldroot".into() }]);
        assert_eq!(text, "{\"op\":\"PivotRoot\",\"new_root\":\".\",\"put_old\":\".oldroot\"}\nend\n");
    }

    #[test]
    fn a_plan_without_end_is_refused() {
        assert!(parse("{\"op\":\"Sethostname\",\"name\":\"box\"}\n").is_err());
    }

    #[test]
    fn an_unknown_step_is_refused_with_its_position() {
        let err = parse("{\"op\":\"Sethostname\",\"name\":\"box\"}\n{\"op\":\"Reboot\"}\nend\n").unwrap_err();
        assert!(err.starts_with("step 1: unknown variant `Reboot`"), "{}", err);
    }
}
