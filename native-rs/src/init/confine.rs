//! The confinement steps of a plan (core/plan/security.ts), in kit-init:
//! the bounding set, the capability sets, the ambient set, no_new_privs and
//! seccomp filters. Each is one or more traced calls in kit_native::sys.
use kit_native::plan::Step;
use kit_native::{device_program, seccomp_filter};
use kit_native::sys::{self, capset, prctl, seccomp};

/// `Some(result)` when `step` is a confinement step.
pub fn dispatch(s: &Step) -> Option<Result<sys::SysResult, String>> {
    Some(match s.op.as_str() {
        "capbset_drop" => drop_bounding(s),
        "capset" => (|| Ok(capset::capset(s.number(0)?, s.number(1)?, s.number(2)?)))(),
        "ambient_clear" => Ok(prctl::clear_ambient()),
        "no_new_privs" => Ok(prctl::set_no_new_privs()),
        "seccomp" => seccomp_filter::compile(&s.fields).map(|c| seccomp::set_mode_filter(&c.program)),
        "device_program" => device_program(s),
        "swapoff" => (|| Ok(sys::swapoff::swapoff(s.text(0)?)))(),
        _ => return None,
    })
}

/// `capbset_drop <cap>...`: one prctl per capability, stopping at the first failure.
fn drop_bounding(s: &Step) -> Result<sys::SysResult, String> {
    for i in 0..s.fields.len() {
        if let Err(errno) = prctl::capbset_drop(s.number(i)? as u32) {
            return Ok(Err(errno));
        }
    }
    Ok(Ok(0))
}

/// `device_program <cgroup dir> <rule>...`: the cgroup v2 device rules, loaded and attached.
fn device_program(s: &Step) -> Result<sys::SysResult, String> {
    let prog = device_program::program(&s.fields[1..])?;
    let fd = match sys::bpf::load_device_program(&prog) {
        Ok(fd) => fd as i32,
        Err(errno) => return Ok(Err(errno)),
    };
    Ok(sys::bpf::attach_device_program(s.text(0)?, fd))
}
