//! wait4(2) and waitid(2): learn how the container's first process ended,
//! and reap it.
//!
//! Waiting blocks, so the addon waits on a libuv worker thread; but a pid
//! reaped there would be free for the kernel to give to a new process while
//! Node's main thread, which sends the signals, still believes it is the
//! container's: a `kill(pid, SIGKILL)` from kit stop or Ctrl-C in that gap
//! would hit a stranger. So the worker only waits for the end
//! ([`wait_exit`]: waitid with WNOWAIT leaves the child a zombie, its pid
//! still ours), and the main thread reaps it ([`wait4`]), in the same turn
//! that tells JS it is gone.
use super::libc::{self, CLD_STOPPED, CLD_TRAPPED, EINTR, P_PID, WEXITED, WNOHANG, WNOWAIT, WSTOPPED};
use super::{errno, traced, traced_out, SysResult};

pub struct Exit {
    /// The raw wait status, decoded by the caller (exit code or signal).
    pub status: i32,
    pub ret: i64,
    pub errno: Option<i32>,
}

/// Reap `pid`, blocking until it has ended: on the main thread only for a
/// child that has ended already ([`wait_exit`] said so) or is being killed.
pub fn wait4(pid: i32) -> Exit {
    let mut status = 0i32;
    let result = traced("wait4", vec![pid.to_string(), "[status]".into(), "0".into(), "NULL".into()], || loop {
        let r = unsafe { libc::wait4(pid, &mut status, 0, std::ptr::null_mut()) };
        if r == -1 && errno() == EINTR {
            continue;
        }
        // A command held at its exec (sys/ptrace.rs) reports that stop to
        // every thread of its tracer's process: not its end, the host's main
        // thread lets it go.
        if r == pid && libc::WIFSTOPPED(status) {
            continue;
        }
        break r as i64;
    });
    match result {
        Ok(ret) => Exit { status, ret, errno: None },
        Err(e) => Exit { status, ret: -1, errno: Some(e) },
    }
}

/// Block until `pid` has ended, without reaping it (waitid WEXITED|WNOWAIT):
/// it stays a zombie, so its pid cannot be reused until [`wait4`] reaps it.
/// Ok(pid) once it has ended.
pub fn wait_exit(pid: i32) -> SysResult {
    let ended = std::cell::Cell::new(unsafe { std::mem::zeroed::<libc::siginfo_t>() });
    let call = || loop {
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        let r = unsafe { libc::waitid(P_PID, pid as libc::id_t, &mut info, WEXITED | WNOWAIT) };
        if r == -1 && errno() == EINTR {
            continue;
        }
        // A held command's ptrace stop is reported to every waiter of its
        // tracer's process, WEXITED or not, and WNOWAIT would leave it to be
        // reported again at once: take that stop (never an exit) and wait on.
        if r == 0 && matches!(info.si_code, CLD_TRAPPED | CLD_STOPPED) {
            unsafe { libc::waitid(P_PID, pid as libc::id_t, &mut info, WSTOPPED | WNOHANG) };
            continue;
        }
        ended.set(info);
        break if r == 0 { pid as i64 } else { -1 };
    };
    let render = |ok: bool| {
        let info = ended.get();
        let shown = if ok { format!("{{si_code={}, si_status={}}}", cld_name(info.si_code), unsafe { info.si_status() }) } else { "[info]".into() };
        vec!["P_PID".into(), pid.to_string(), shown, "WEXITED|WNOWAIT".into(), "NULL".into()]
    };
    traced_out("waitid", call, render)
}

fn cld_name(code: i32) -> String {
    match code {
        libc::CLD_EXITED => "CLD_EXITED".into(),
        libc::CLD_KILLED => "CLD_KILLED".into(),
        libc::CLD_DUMPED => "CLD_DUMPED".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The state letter of /proc/<pid>/stat: 'Z' for a zombie, None once reaped.
    fn state(pid: i32) -> Option<char> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", pid)).ok()?;
        stat.rsplit(") ").next()?.chars().next()
    }

    /// A child that runs `then` and exits with its result (raw syscalls only: this process has threads).
    fn child(then: impl FnOnce() -> i32) -> i32 {
        let pid = unsafe { libc::fork() };
        if pid == 0 {
            unsafe { libc::_exit(then()) };
        }
        pid
    }

    #[test]
    fn wait_exit_leaves_the_child_a_zombie_until_wait4_reaps_it() {
        let pid = child(|| 7);
        assert_eq!(wait_exit(pid), Ok(pid as i64));
        // Ended but not reaped: its pid cannot be given to another process,
        // and a signal to it reaches the zombie (no error).
        assert_eq!(state(pid), Some('Z'));
        assert_eq!(unsafe { libc::kill(pid, libc::SIGKILL) }, 0);
        let exit = wait4(pid);
        assert_eq!(exit.ret, pid as i64);
        assert!(libc::WIFEXITED(exit.status) && libc::WEXITSTATUS(exit.status) == 7);
        assert_eq!(state(pid), None);
    }

    #[test]
    fn wait_exit_waits_through_a_ptrace_stop() {
        // Held as kit holds a command at its exec: traced by this thread and stopped.
        let pid = child(|| unsafe {
            libc::ptrace(libc::PTRACE_TRACEME, 0, 0, 0);
            libc::raise(libc::SIGSTOP);
            3
        });
        let waiter = std::thread::spawn(move || wait_exit(pid));
        while state(pid) != Some('t') {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
        assert!(!waiter.is_finished(), "a stop is not an end");
        assert_eq!(unsafe { libc::ptrace(libc::PTRACE_DETACH, pid, 0, 0) }, 0);
        assert_eq!(waiter.join().unwrap(), Ok(pid as i64));
        let exit = wait4(pid);
        assert!(libc::WIFEXITED(exit.status) && libc::WEXITSTATUS(exit.status) == 3);
    }

    #[test]
    fn waiting_for_a_process_that_is_not_a_child_fails_with_echild() {
        assert_eq!(wait_exit(1), Err(libc::ECHILD));
    }
}
