//! sendmsg(2) / recvmsg(2) with SCM_RIGHTS: an open file handed from one
//! process to another over a unix socket. The container allocates its pty
//! in its own devpts and sends the master to kit, as runc sends it to its
//! --console-socket.
use std::mem::{size_of, zeroed};

use super::{traced, SysResult};

/// Send `fd` with one byte of payload (a message must carry data).
pub fn send_fd(sock: i32, fd: i32) -> SysResult {
    let args = vec![sock.to_string(), format!("{{msg_iov=[\"\\0\"], SCM_RIGHTS [{}]}}", fd), "0".into()];
    traced("sendmsg", args, || unsafe {
        let mut byte = [0u8; 1];
        let mut iov = ::libc::iovec { iov_base: byte.as_mut_ptr() as *mut _, iov_len: 1 };
        let space = ::libc::CMSG_SPACE(size_of::<i32>() as u32) as usize;
        let mut control = vec![0u8; space];
        let mut msg: ::libc::msghdr = zeroed();
        msg.msg_iov = &mut iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control.as_mut_ptr() as *mut _;
        msg.msg_controllen = space;
        let cmsg = ::libc::CMSG_FIRSTHDR(&msg);
        (*cmsg).cmsg_level = ::libc::SOL_SOCKET;
        (*cmsg).cmsg_type = ::libc::SCM_RIGHTS;
        (*cmsg).cmsg_len = ::libc::CMSG_LEN(size_of::<i32>() as u32) as usize;
        std::ptr::write_unaligned(::libc::CMSG_DATA(cmsg) as *mut i32, fd);
        ::libc::sendmsg(sock, &msg, 0) as i64
    })
}

/// Receive one fd without blocking (MSG_DONTWAIT, O_CLOEXEC on it): Err(EAGAIN)
/// while none has come, Err(EPIPE) when the sender closed its end without one.
pub fn recv_fd(sock: i32) -> SysResult {
    let mut received = -1i32;
    let result = traced("recvmsg", vec![sock.to_string(), "{SCM_RIGHTS}".into(), "MSG_DONTWAIT|MSG_CMSG_CLOEXEC".into()], || unsafe {
        let mut byte = [0u8; 1];
        let mut iov = ::libc::iovec { iov_base: byte.as_mut_ptr() as *mut _, iov_len: 1 };
        let space = ::libc::CMSG_SPACE(size_of::<i32>() as u32) as usize;
        let mut control = vec![0u8; space];
        let mut msg: ::libc::msghdr = zeroed();
        msg.msg_iov = &mut iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control.as_mut_ptr() as *mut _;
        msg.msg_controllen = space;
        let n = ::libc::recvmsg(sock, &mut msg, ::libc::MSG_DONTWAIT | ::libc::MSG_CMSG_CLOEXEC);
        if n > 0 {
            let cmsg = ::libc::CMSG_FIRSTHDR(&msg);
            if !cmsg.is_null() && (*cmsg).cmsg_type == ::libc::SCM_RIGHTS {
                received = std::ptr::read_unaligned(::libc::CMSG_DATA(cmsg) as *const i32);
            }
        }
        n as i64
    })?;
    if result == 0 || received < 0 {
        return Err(::libc::EPIPE);
    }
    Ok(received as i64)
}
