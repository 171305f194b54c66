//! sendmsg(2) / recvmsg(2) with SCM_RIGHTS: an open file handed from one
//! process to another over a unix socket. The container allocates its pty
//! in its own devpts and sends the master to kit (or, under kit-runtime, to
//! the caller's --console-socket), as runc does.
use std::mem::{size_of, zeroed};

use super::{traced, SysResult};

/// One byte of payload (a message must carry data) and room for one fd in
/// its control data. Both messages are built here, so sender and receiver
/// cannot disagree on the layout.
struct OneFdMessage {
    byte: [u8; 1],
    iov: ::libc::iovec,
    control: Vec<u8>,
    msg: ::libc::msghdr,
}

impl OneFdMessage {
    /// Boxed: msghdr points into the struct itself, which must not move.
    fn new() -> Box<Self> {
        let space = unsafe { ::libc::CMSG_SPACE(size_of::<i32>() as u32) } as usize;
        let mut m = Box::new(OneFdMessage { byte: [0], iov: unsafe { zeroed() }, control: vec![0u8; space], msg: unsafe { zeroed() } });
        m.iov = ::libc::iovec { iov_base: m.byte.as_mut_ptr() as *mut _, iov_len: 1 };
        m.msg.msg_iov = &mut m.iov;
        m.msg.msg_iovlen = 1;
        m.msg.msg_control = m.control.as_mut_ptr() as *mut _;
        m.msg.msg_controllen = space;
        m
    }
}

/// Send `fd` with one byte of payload.
pub fn send_fd(sock: i32, fd: i32) -> SysResult {
    let args = vec![sock.to_string(), format!("{{msg_iov=[\"\\0\"], SCM_RIGHTS [{}]}}", fd), "0".into()];
    let m = OneFdMessage::new();
    traced("sendmsg", args, || unsafe {
        let cmsg = ::libc::CMSG_FIRSTHDR(&m.msg);
        if cmsg.is_null() {
            // Cannot happen with the room made above; never write through a null header.
            *::libc::__errno_location() = ::libc::EINVAL;
            return -1;
        }
        (*cmsg).cmsg_level = ::libc::SOL_SOCKET;
        (*cmsg).cmsg_type = ::libc::SCM_RIGHTS;
        (*cmsg).cmsg_len = ::libc::CMSG_LEN(size_of::<i32>() as u32) as usize;
        std::ptr::write_unaligned(::libc::CMSG_DATA(cmsg) as *mut i32, fd);
        ::libc::sendmsg(sock, &m.msg, ::libc::MSG_NOSIGNAL) as i64
    })
}

/// Receive one fd without blocking (MSG_DONTWAIT, O_CLOEXEC on it): Err(EAGAIN)
/// while none has come, Err(EPIPE) when the sender closed its end without one.
pub fn recv_fd(sock: i32) -> SysResult {
    let mut received = -1i32;
    let mut m = OneFdMessage::new();
    let result = traced("recvmsg", vec![sock.to_string(), "{SCM_RIGHTS}".into(), "MSG_DONTWAIT|MSG_CMSG_CLOEXEC".into()], || unsafe {
        let n = ::libc::recvmsg(sock, &mut m.msg, ::libc::MSG_DONTWAIT | ::libc::MSG_CMSG_CLOEXEC);
        if n > 0 {
            let cmsg = ::libc::CMSG_FIRSTHDR(&m.msg);
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

/// connect(2) a new unix stream socket (SOCK_CLOEXEC) to the socket file at
/// `path`: kit-runtime's end of the caller's --console-socket, handed to the
/// container, which sends its pty master on it.
pub fn connect_unix(path: &str) -> SysResult {
    let mut addr: ::libc::sockaddr_un = unsafe { zeroed() };
    addr.sun_family = ::libc::AF_UNIX as ::libc::sa_family_t;
    let bytes = path.as_bytes();
    if bytes.is_empty() || bytes.len() >= addr.sun_path.len() || bytes.contains(&0) {
        return traced("connect", vec!["-1".into(), crate::decode::quoted(Some(path))], || unsafe {
            *::libc::__errno_location() = ::libc::ENAMETOOLONG;
            -1
        });
    }
    for (i, b) in bytes.iter().enumerate() {
        addr.sun_path[i] = *b as ::libc::c_char;
    }
    let fd = traced("socket", vec!["AF_UNIX".into(), "SOCK_STREAM|SOCK_CLOEXEC".into(), "0".into()], || unsafe {
        ::libc::socket(::libc::AF_UNIX, ::libc::SOCK_STREAM | ::libc::SOCK_CLOEXEC, 0) as i64
    })? as i32;
    let args = vec![fd.to_string(), format!("{{sa_family=AF_UNIX, sun_path={}}}", crate::decode::quoted(Some(path))), size_of::<::libc::sockaddr_un>().to_string()];
    let len = size_of::<::libc::sockaddr_un>() as ::libc::socklen_t;
    match traced("connect", args, || unsafe { ::libc::connect(fd, &addr as *const _ as *const ::libc::sockaddr, len) as i64 }) {
        Ok(_) => Ok(fd as i64),
        Err(e) => {
            unsafe { ::libc::close(fd) };
            Err(e)
        }
    }
}
