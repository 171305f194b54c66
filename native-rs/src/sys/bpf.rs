//! bpf(2), for the cgroup v2 device rules: load the program
//! (crate::device_program builds it) and attach it to the container's cgroup
//! directory. The attachment lives as long as the cgroup; the fds are closed.
//!
//! The kernel's BPF numbers live here, in one place. Opcodes are built from
//! the classic-BPF parts the libc crate carries (<linux/filter.h>: class,
//! size, mode, operation, source); what only eBPF has (<linux/bpf.h>: the
//! 64-bit ALU class, MOV, JNE, EXIT), the bpf(2) commands, the program and
//! attach types and a device program's context are not in libc, nix or
//! rustix, so they are declared here by hand, each once. (aya-obj carries
//! generated bindings, but with an ELF loader and more behind them; youki
//! links libbpf, which is C.)
use super::libc;
use super::{traced, SysResult};

/// One eBPF instruction (struct bpf_insn).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Insn {
    pub code: u8,
    pub regs: u8, // dst_reg in the low nibble, src_reg in the high one
    pub off: i16,
    pub imm: i32,
}

pub const fn insn(code: u8, dst: u8, src: u8, off: i16, imm: i32) -> Insn {
    Insn { code, regs: (src << 4) | dst, off, imm }
}

/// eBPF-only parts of an opcode (<linux/bpf.h>).
const BPF_ALU64: u32 = 0x07;
const BPF_MOV: u32 = 0xb0;
const BPF_JNE: u32 = 0x50;
const BPF_EXIT: u32 = 0x90;

const fn op(bits: u32) -> u8 {
    bits as u8
}

/// Opcodes (class | size/source | operation).
pub const LDX_W: u8 = op(libc::BPF_LDX | libc::BPF_W | libc::BPF_MEM); // rD = *(u32 *)(rS + off)
pub const MOV64_X: u8 = op(BPF_ALU64 | BPF_MOV | libc::BPF_X);
pub const MOV64_K: u8 = op(BPF_ALU64 | BPF_MOV | libc::BPF_K);
pub const AND64_K: u8 = op(BPF_ALU64 | libc::BPF_AND | libc::BPF_K);
pub const RSH64_K: u8 = op(BPF_ALU64 | libc::BPF_RSH | libc::BPF_K);
pub const JNE_K: u8 = op(libc::BPF_JMP | BPF_JNE | libc::BPF_K);
pub const EXIT: u8 = op(libc::BPF_JMP | BPF_EXIT);

/// struct bpf_cgroup_dev_ctx: the device's type (BPF_DEVCG_DEV_*) and the
/// access asked for (BPF_DEVCG_ACC_*), then major and minor.
pub const DEV_BLOCK: i32 = 1;
pub const DEV_CHAR: i32 = 2;
pub const ACC_MKNOD: i32 = 1;
pub const ACC_READ: i32 = 2;
pub const ACC_WRITE: i32 = 4;

const BPF_PROG_LOAD: i64 = 5;
const BPF_PROG_ATTACH: i64 = 8;
const BPF_PROG_TYPE_CGROUP_DEVICE: u32 = 15;
const BPF_CGROUP_DEVICE: u32 = 6;
const BPF_F_ALLOW_MULTI: u32 = 2;
/// union bpf_attr is larger; the kernel checks that bytes past what it knows are zero.
const ATTR_SIZE: usize = 128;

#[repr(C, align(8))]
struct Attr([u8; ATTR_SIZE]);

impl Attr {
    fn put_u32(&mut self, at: usize, v: u32) {
        self.0[at..at + 4].copy_from_slice(&v.to_ne_bytes());
    }
    fn put_u64(&mut self, at: usize, v: u64) {
        self.0[at..at + 8].copy_from_slice(&v.to_ne_bytes());
    }
}

fn bpf(cmd: i64, attr: &Attr) -> i64 {
    unsafe { libc::syscall(libc::SYS_bpf, cmd, attr as *const Attr, ATTR_SIZE) as i64 }
}
/// BPF_PROG_LOAD of a device program: returns its fd.
pub fn load_device_program(prog: &[Insn]) -> SysResult {
    let license = b"Apache\0";
    let mut attr = Attr([0; ATTR_SIZE]);
    attr.put_u32(0, BPF_PROG_TYPE_CGROUP_DEVICE);
    attr.put_u32(4, prog.len() as u32);
    attr.put_u64(8, prog.as_ptr() as u64);
    attr.put_u64(16, license.as_ptr() as u64);
    let args = vec!["BPF_PROG_LOAD".into(), format!("{{prog_type=BPF_PROG_TYPE_CGROUP_DEVICE, insn_cnt={}, license=\"Apache\"}}", prog.len()), ATTR_SIZE.to_string()];
    traced("bpf", args, || bpf(BPF_PROG_LOAD, &attr))
}

/// Open the cgroup directory and attach the program to it (BPF_F_ALLOW_MULTI: kit's parent may have one too).
pub fn attach_device_program(cgroup_dir: &str, prog_fd: i32) -> SysResult {
    let dir = super::open::open_dir(cgroup_dir)? as i32;
    let mut attr = Attr([0; ATTR_SIZE]);
    attr.put_u32(0, dir as u32);
    attr.put_u32(4, prog_fd as u32);
    attr.put_u32(8, BPF_CGROUP_DEVICE);
    attr.put_u32(12, BPF_F_ALLOW_MULTI);
    let args = vec![
        "BPF_PROG_ATTACH".into(),
        format!("{{target_fd={}, attach_bpf_fd={}, attach_type=BPF_CGROUP_DEVICE, attach_flags=BPF_F_ALLOW_MULTI}}", dir, prog_fd),
        ATTR_SIZE.to_string(),
    ];
    let result = traced("bpf", args, || bpf(BPF_PROG_ATTACH, &attr));
    super::fds::close_untraced(dir);
    super::fds::close_untraced(prog_fd);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opcodes_built_from_their_parts_are_the_kernels() {
        // The values <linux/bpf.h> users write (and `bpftool prog dump` shows).
        assert_eq!([LDX_W, MOV64_X, MOV64_K, AND64_K, RSH64_K, JNE_K, EXIT], [0x61, 0xbf, 0xb7, 0x57, 0x77, 0x55, 0x95]);
    }
}
