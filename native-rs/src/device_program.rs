//! The cgroup v2 device rules as an eBPF program (BPF_PROG_TYPE_CGROUP_DEVICE),
//! what cgroup v1's devices.allow lines became on v2: the kernel runs it on
//! every open and mknod of a device node by a process in the cgroup, with
//! the access, type, major and minor in its context; 1 allows, 0 refuses.
//! Rules come as `TYPE:MAJOR:MINOR:ACCESS` (`c:1:3:rwm`, `b:*:*:m`), first
//! match allows; nothing matched refuses, as runc's default-deny program.

use crate::sys::bpf::{self, insn, Insn, ACC_MKNOD, ACC_READ, ACC_WRITE, AND64_K, DEV_BLOCK, DEV_CHAR, EXIT, JNE_K, LDX_W, MOV64_K, MOV64_X, RSH64_K};
use crate::sys::SysResult;

struct Rule {
    kind: Option<i32>,
    major: Option<i32>,
    minor: Option<i32>,
    access: i32,
}

fn parse(text: &str) -> Result<Rule, String> {
    let parts: Vec<&str> = text.split(':').collect();
    if parts.len() != 4 {
        return Err(format!("bad device rule `{}`", text));
    }
    let number = |p: &str| -> Result<Option<i32>, String> {
        if p == "*" {
            Ok(None)
        } else {
            p.parse().map(Some).map_err(|_| format!("bad device number in `{}`", text))
        }
    };
    let kind = match parts[0] {
        "a" => None,
        "b" => Some(DEV_BLOCK),
        "c" => Some(DEV_CHAR),
        _ => return Err(format!("bad device type in `{}`", text)),
    };
    let mut access = 0;
    for c in parts[3].chars() {
        access |= match c {
            'm' => ACC_MKNOD,
            'r' => ACC_READ,
            'w' => ACC_WRITE,
            _ => return Err(format!("bad device access in `{}`", text)),
        };
    }
    Ok(Rule { kind, major: number(parts[1])?, minor: number(parts[2])?, access })
}

/// The program for these rules.
pub fn program(rules: &[String]) -> Result<Vec<Insn>, String> {
    // r2 = access (high 16 bits of access_type), r3 = type (low 16), r4 = major, r5 = minor.
    let mut prog = vec![
        insn(LDX_W, 2, 1, 0, 0),
        insn(MOV64_X, 3, 2, 0, 0),
        insn(AND64_K, 3, 0, 0, 0xffff),
        insn(RSH64_K, 2, 0, 0, 16),
        insn(LDX_W, 4, 1, 4, 0),
        insn(LDX_W, 5, 1, 8, 0),
    ];
    for text in rules {
        let rule = parse(text)?;
        let mut checks: Vec<(u8, i32)> = Vec::new(); // (register, value it must equal)
        if let Some(kind) = rule.kind {
            checks.push((3, kind));
        }
        if let Some(major) = rule.major {
            checks.push((4, major));
        }
        if let Some(minor) = rule.minor {
            checks.push((5, minor));
        }
        // Block: the checks, then r1 = access & ~allowed (nonzero: not allowed), then r0 = 1; exit.
        let len = checks.len() + 3 + 2;
        for (i, (reg, value)) in checks.iter().enumerate() {
            prog.push(insn(JNE_K, *reg, 0, (len - i - 1) as i16, *value));
        }
        prog.push(insn(MOV64_X, 1, 2, 0, 0));
        prog.push(insn(AND64_K, 1, 0, 0, !rule.access & 7));
        prog.push(insn(JNE_K, 1, 0, 2, 0));
        prog.push(insn(MOV64_K, 0, 0, 0, 1));
        prog.push(insn(EXIT, 0, 0, 0, 0));
    }
    prog.push(insn(MOV64_K, 0, 0, 0, 0));
    prog.push(insn(EXIT, 0, 0, 0, 0));
    Ok(prog)
}

/// The program for these rules, loaded and attached to the cgroup directory
/// `cgroup` (kit-init's first step; the host's own, for a container in a user
/// namespace). Err: a rule could not be compiled, so nothing was loaded.
pub fn install(cgroup: &str, rules: &[String]) -> Result<SysResult, String> {
    let prog = program(rules)?;
    Ok(bpf::load_device_program(&prog).and_then(|fd| bpf::attach_device_program(cgroup, fd as i32)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Run the program on one access, as the kernel would (only the instructions it emits).
    fn run(prog: &[Insn], kind: i32, access: i32, major: i32, minor: i32) -> i64 {
        let ctx = [((access << 16) | kind) as u32, major as u32, minor as u32];
        let mut r = [0i64; 11];
        let mut pc = 0usize;
        loop {
            let i = prog[pc];
            let (dst, src) = ((i.regs & 0xf) as usize, (i.regs >> 4) as usize);
            pc += 1;
            match i.code {
                LDX_W => r[dst] = ctx[(i.off / 4) as usize] as i64,
                MOV64_X => r[dst] = r[src],
                MOV64_K => r[dst] = i.imm as i64,
                AND64_K => r[dst] &= i.imm as i64,
                RSH64_K => r[dst] >>= i.imm,
                JNE_K => {
                    if r[dst] != i.imm as i64 {
                        pc += i.off as usize
                    }
                }
                EXIT => return r[0],
                _ => panic!("unknown instruction"),
            }
        }
    }

    #[test]
    fn allows_only_what_the_rules_allow() {
        let rules: Vec<String> = ["c:*:*:m", "b:*:*:m", "c:1:3:rwm", "c:136:*:rwm"].iter().map(|s| s.to_string()).collect();
        let prog = program(&rules).unwrap();
        assert_eq!(run(&prog, DEV_CHAR, 2 | 4, 1, 3), 1); // rw /dev/null
        assert_eq!(run(&prog, DEV_CHAR, 2, 136, 7), 1); // a pty
        assert_eq!(run(&prog, DEV_BLOCK, 1, 8, 0), 1); // mknod of a disk node
        assert_eq!(run(&prog, DEV_BLOCK, 2, 8, 0), 0); // reading it
        assert_eq!(run(&prog, DEV_CHAR, 2, 1, 1), 0); // /dev/mem
        assert_eq!(run(&prog, DEV_CHAR, 1 | 2, 1, 1), 0); // mknod + read
    }

    #[test]
    fn refuses_bad_rules() {
        assert!(program(&["x:1:3:rwm".to_string()]).is_err());
        assert!(program(&["c:1:3:rwx".to_string()]).is_err());
        assert!(program(&["c:1:3".to_string()]).is_err());
    }
}
