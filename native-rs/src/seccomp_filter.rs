//! A seccomp filter as the plan carries it, compiled to BPF by Firecracker's
//! `seccompiler`. The host (core/security/seccomp.ts) has already resolved a
//! profile for this container (its capabilities, architecture and kernel):
//! what is left is one filter per action, in this text form:
//!
//!   fields[0]  the action when no rule matches: `allow`, `errno:N`, `kill_process`,
//!              `kill_thread`, `trap`, `log`, `trace:N`
//!   fields[1]  the action when a rule matches
//!   fields[2..] one rule each: a syscall name, then `|`-separated conditions on
//!              its arguments, all of which must hold: `INDEX:OP:VALUE`, or
//!              `INDEX:masked_eq:MASK:VALUE` (OP: eq ne lt le gt ge)
//!
//! A name this architecture does not have is skipped, as libseccomp and runc
//! do (Docker's profile lists 32-bit calls such as `chown32`). Rules naming the
//! same call are alternatives; one without conditions matches it always.
use std::collections::BTreeMap;
use std::convert::TryInto;
use std::str::FromStr;

use seccompiler::{BpfProgram, SeccompAction, SeccompCmpArgLen, SeccompCmpOp, SeccompCondition, SeccompFilter, SeccompRule, TargetArch};
use syscalls::Sysno;

pub struct Compiled {
    pub program: BpfProgram,
    /// Syscalls named in rules that this architecture does not have.
    pub skipped: Vec<String>,
}

pub fn compile(fields: &[String]) -> Result<Compiled, String> {
    if fields.len() < 2 {
        return Err("a seccomp filter needs its two actions".into());
    }
    let mismatch = action(&fields[0])?;
    let matched = action(&fields[1])?;
    let mut rules: BTreeMap<i64, Option<Vec<SeccompRule>>> = BTreeMap::new();
    let mut skipped = Vec::new();
    for text in &fields[2..] {
        let mut parts = text.split('|');
        let name = parts.next().unwrap_or_default();
        let Ok(sysno) = Sysno::from_str(name) else {
            skipped.push(name.to_string());
            continue;
        };
        let conditions = parts.map(condition).collect::<Result<Vec<_>, _>>()?;
        let entry = rules.entry(sysno.id() as i64).or_insert_with(|| Some(Vec::new()));
        match (conditions.is_empty(), entry.as_mut()) {
            (true, _) => *entry = None, // unconditional: matches whatever the other rules say
            (false, Some(list)) => list.push(SeccompRule::new(conditions).map_err(|e| e.to_string())?),
            (false, None) => {}
        }
    }
    let rules = rules.into_iter().map(|(nr, list)| (nr, list.unwrap_or_default())).collect();
    let arch: TargetArch = std::env::consts::ARCH.try_into().map_err(|e: seccompiler::BackendError| e.to_string())?;
    let filter = SeccompFilter::new(rules, mismatch, matched, arch).map_err(|e| e.to_string())?;
    let program: BpfProgram = filter.try_into().map_err(|e: seccompiler::BackendError| e.to_string())?;
    Ok(Compiled { program, skipped })
}

fn action(text: &str) -> Result<SeccompAction, String> {
    let (name, data) = text.split_once(':').unwrap_or((text, ""));
    let number = || data.parse::<u32>().map_err(|_| format!("seccomp action `{}` needs a number", text));
    Ok(match name {
        "allow" => SeccompAction::Allow,
        "errno" => SeccompAction::Errno(number()?),
        "kill_process" => SeccompAction::KillProcess,
        "kill_thread" => SeccompAction::KillThread,
        "trap" => SeccompAction::Trap,
        "log" => SeccompAction::Log,
        "trace" => SeccompAction::Trace(number()?),
        _ => return Err(format!("unknown seccomp action `{}`", text)),
    })
}

fn condition(text: &str) -> Result<SeccompCondition, String> {
    let parts: Vec<&str> = text.split(':').collect();
    let number = |i: usize| -> Result<u64, String> {
        parts.get(i).and_then(|p| p.parse().ok()).ok_or_else(|| format!("bad seccomp condition `{}`", text))
    };
    let index = number(0)? as u8;
    let (op, value) = match parts.get(1).copied() {
        Some("masked_eq") => (SeccompCmpOp::MaskedEq(number(2)?), number(3)?),
        Some("eq") => (SeccompCmpOp::Eq, number(2)?),
        Some("ne") => (SeccompCmpOp::Ne, number(2)?),
        Some("lt") => (SeccompCmpOp::Lt, number(2)?),
        Some("le") => (SeccompCmpOp::Le, number(2)?),
        Some("gt") => (SeccompCmpOp::Gt, number(2)?),
        Some("ge") => (SeccompCmpOp::Ge, number(2)?),
        _ => return Err(format!("bad seccomp condition `{}`", text)),
    };
    SeccompCondition::new(index, SeccompCmpArgLen::Qword, op, value).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn compiles_an_allow_list_and_skips_other_architectures_calls() {
        let compiled = compile(&strings(&["errno:1", "allow", "read", "write", "chown32", "socket|0:ne:40", "clone|0:masked_eq:2114060288:0"])).unwrap();
        assert!(compiled.program.len() > 10);
        #[cfg(target_arch = "x86_64")]
        assert_eq!(compiled.skipped, vec!["chown32"]);
    }

    #[test]
    fn refuses_what_the_host_should_never_send() {
        assert!(compile(&strings(&["errno:1"])).is_err());
        assert!(compile(&strings(&["deny", "allow", "read"])).is_err());
        assert!(compile(&strings(&["errno:1", "allow", "read|0:between:1"])).is_err());
        assert!(compile(&strings(&["allow", "allow", "read"])).is_err());
    }
}
