//! rtnetlink: the socket `ip` (iproute2) talks to the kernel through. One
//! request each, as `ip` sends them: RTM_NEWLINK makes a link or changes one
//! (master, up, name, MAC, network namespace), RTM_DELLINK deletes one,
//! RTM_NEWADDR adds an address,
//! RTM_NEWROUTE a route. The messages are built and parsed by the rust-netlink
//! crates (netlink-packet-route, netlink-sys: what youki and rtnetlink use);
//! each request is one trace event named after its message type, its
//! arguments the fields a learner would pass to `ip`, and the kernel's ACK
//! (or its error code) its result.
//!
//! A socket is opened per request: a netlink socket belongs to the network
//! namespace it was opened in, so kit-init, inside the container's, talks
//! to that namespace's links, and the addon to the host's.
use std::net::{IpAddr, Ipv4Addr};

use netlink_packet_core::{NetlinkHeader, NetlinkMessage, NetlinkPayload, NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REQUEST};
use netlink_packet_route::address::{AddressAttribute, AddressMessage};
use netlink_packet_route::link::{InfoData, InfoKind, InfoVeth, LinkAttribute, LinkFlags, LinkInfo, LinkMessage};
use netlink_packet_route::route::{RouteAddress, RouteAttribute, RouteHeader, RouteMessage, RouteProtocol, RouteScope, RouteType};
use netlink_packet_route::{AddressFamily, RouteNetlinkMessage};
use netlink_sys::{protocols::NETLINK_ROUTE, Socket, SocketAddr};

use super::libc::{self, O_CLOEXEC, O_RDONLY};
use super::{cstr, traced, SysResult};
use crate::decode::quoted;

/// What one RTM_NEWLINK changes on an existing link; None leaves it as it is.
#[derive(Default)]
pub struct LinkChange<'a> {
    /// Plug it into this bridge (IFLA_MASTER).
    pub master: Option<&'a str>,
    /// Rename it (IFLA_IFNAME).
    pub name: Option<&'a str>,
    /// Its MAC address, "02:6b:..." (IFLA_ADDRESS).
    pub mac: Option<&'a str>,
    /// Bring it up (IFF_UP).
    pub up: bool,
}

/// `ip link add HOST type veth peer name PEER`.
pub fn add_veth(host: &str, peer: &str) -> SysResult {
    let args = vec![format!("ifname={}", quoted(Some(host))), "kind=veth".into(), format!("peer ifname={}", quoted(Some(peer)))];
    let mut peer_message = LinkMessage::default();
    peer_message.attributes.push(LinkAttribute::IfName(peer.into()));
    let mut message = LinkMessage::default();
    message.attributes.push(LinkAttribute::IfName(host.into()));
    message.attributes.push(LinkAttribute::LinkInfo(vec![
        LinkInfo::Kind(InfoKind::Veth),
        LinkInfo::Data(InfoData::Veth(InfoVeth::Peer(peer_message))),
    ]));
    traced("RTM_NEWLINK", args, || request(RouteNetlinkMessage::NewLink(message), NLM_F_CREATE | NLM_F_EXCL))
}

/// `ip link add NAME type bridge`.
pub fn add_bridge(name: &str) -> SysResult {
    let args = vec![format!("ifname={}", quoted(Some(name))), "kind=bridge".into()];
    let mut message = LinkMessage::default();
    message.attributes.push(LinkAttribute::IfName(name.into()));
    message.attributes.push(LinkAttribute::LinkInfo(vec![LinkInfo::Kind(InfoKind::Bridge)]));
    traced("RTM_NEWLINK", args, || request(RouteNetlinkMessage::NewLink(message), NLM_F_CREATE | NLM_F_EXCL))
}

/// `ip link delete LINK` (RTM_DELLINK): a veth goes with its peer.
pub fn delete_link(link: &str) -> SysResult {
    let args = vec![format!("ifname={}", quoted(Some(link)))];
    let resolved = index_of(link);
    traced("RTM_DELLINK", args, || match resolved {
        Ok(index) => {
            let mut message = LinkMessage::default();
            message.header.index = index;
            request(RouteNetlinkMessage::DelLink(message), 0)
        }
        Err(e) => fail(e),
    })
}

/// `ip link set LINK [master BRIDGE] [name NAME] [address MAC] [up]`.
pub fn set_link(link: &str, change: &LinkChange) -> SysResult {
    let mut args = vec![format!("ifname={}", quoted(Some(link)))];
    let mut message = LinkMessage::default();
    let resolved = index_of(link).and_then(|index| {
        message.header.index = index;
        if let Some(master) = change.master {
            args.push(format!("master={}", quoted(Some(master))));
            message.attributes.push(LinkAttribute::Controller(index_of(master)?));
        }
        if let Some(name) = change.name {
            args.push(format!("name={}", quoted(Some(name))));
            message.attributes.push(LinkAttribute::IfName(name.into()));
        }
        if let Some(mac) = change.mac {
            args.push(format!("address={}", mac));
            message.attributes.push(LinkAttribute::Address(parse_mac(mac).ok_or(libc::EINVAL)?));
        }
        if change.up {
            args.push("flags=IFF_UP".into());
            message.header.flags = LinkFlags::Up;
            message.header.change_mask = LinkFlags::Up;
        }
        Ok(())
    });
    traced("RTM_NEWLINK", args, || match resolved {
        Ok(()) => request(RouteNetlinkMessage::NewLink(message), 0),
        Err(e) => fail(e),
    })
}

/// `ip link set LINK netns PID`, by an fd of the namespace file
/// (/proc/PID/ns/net): the link leaves this namespace for that one.
pub fn move_to_netns(link: &str, netns_path: &str) -> SysResult {
    let args = vec![format!("ifname={}", quoted(Some(link))), format!("net_ns_fd=open({})", quoted(Some(netns_path)))];
    let path = cstr(netns_path)?;
    let fd = unsafe { libc::open(path.as_ptr(), O_RDONLY | O_CLOEXEC) };
    let result = traced("RTM_NEWLINK", args, || {
        if fd < 0 {
            return -1;
        }
        let index = match index_of(link) {
            Ok(index) => index,
            Err(e) => return fail(e),
        };
        let mut message = LinkMessage::default();
        message.header.index = index;
        message.attributes.push(LinkAttribute::NetNsFd(fd));
        request(RouteNetlinkMessage::NewLink(message), 0)
    });
    if fd >= 0 {
        unsafe { libc::close(fd) };
    }
    result
}

/// `ip addr add ADDRESS/PREFIX dev LINK` (IPv4).
pub fn add_address(link: &str, address: &str, prefix: u8) -> SysResult {
    let args = vec![format!("ifname={}", quoted(Some(link))), format!("local={}/{}", address, prefix)];
    let built = index_of(link).and_then(|index| {
        let ip: Ipv4Addr = address.parse().map_err(|_| libc::EINVAL)?;
        let mut message = AddressMessage::default();
        message.header.family = AddressFamily::Inet;
        message.header.prefix_len = prefix;
        message.header.index = index;
        message.attributes.push(AddressAttribute::Local(IpAddr::V4(ip)));
        message.attributes.push(AddressAttribute::Address(IpAddr::V4(ip)));
        Ok(message)
    });
    traced("RTM_NEWADDR", args, || match built {
        Ok(message) => request(RouteNetlinkMessage::NewAddress(message), NLM_F_CREATE | NLM_F_EXCL),
        Err(e) => fail(e),
    })
}

/// `ip route add default via GATEWAY` (IPv4, the main table).
pub fn add_default_route(gateway: &str) -> SysResult {
    let args = vec!["dst=0.0.0.0/0".into(), format!("gateway={}", gateway)];
    let built = gateway.parse::<Ipv4Addr>().map_err(|_| libc::EINVAL).map(|ip| {
        let mut message = RouteMessage::default();
        message.header.address_family = AddressFamily::Inet;
        message.header.table = RouteHeader::RT_TABLE_MAIN;
        message.header.protocol = RouteProtocol::Boot;
        message.header.scope = RouteScope::Universe;
        message.header.kind = RouteType::Unicast;
        message.attributes.push(RouteAttribute::Gateway(RouteAddress::Inet(ip)));
        message
    });
    traced("RTM_NEWROUTE", args, || match built {
        Ok(message) => request(RouteNetlinkMessage::NewRoute(message), NLM_F_CREATE | NLM_F_EXCL),
        Err(e) => fail(e),
    })
}

/// A link's index in the caller's network namespace (if_nametoindex).
fn index_of(name: &str) -> Result<u32, i32> {
    let c = cstr(name)?;
    match unsafe { libc::if_nametoindex(c.as_ptr()) } {
        0 => Err(libc::ENODEV),
        index => Ok(index),
    }
}

fn parse_mac(text: &str) -> Option<Vec<u8>> {
    let bytes: Vec<u8> = text.split(':').map(|b| u8::from_str_radix(b, 16).ok()).collect::<Option<_>>()?;
    (bytes.len() == 6).then_some(bytes)
}

/// -1 with errno set, as the wrappers' calls report a failure to `traced`.
fn fail(errno: i32) -> i64 {
    unsafe { *libc::__errno_location() = errno };
    -1
}

/// Send one request with NLM_F_ACK and wait for the kernel's answer: 0, or
/// -1 with errno set to the error code it sent back.
fn request(payload: RouteNetlinkMessage, flags: u16) -> i64 {
    match exchange(payload, flags) {
        Ok(()) => 0,
        Err(e) => fail(e),
    }
}

fn exchange(payload: RouteNetlinkMessage, flags: u16) -> Result<(), i32> {
    let io = |e: std::io::Error| e.raw_os_error().unwrap_or(libc::EIO);
    let mut socket = Socket::new(NETLINK_ROUTE).map_err(io)?;
    socket.bind_auto().map_err(io)?;
    socket.connect(&SocketAddr::new(0, 0)).map_err(io)?;
    let mut header = NetlinkHeader::default();
    header.flags = NLM_F_REQUEST | NLM_F_ACK | flags;
    header.sequence_number = 1;
    let mut message = NetlinkMessage::new(header, NetlinkPayload::from(payload));
    message.finalize();
    let mut buf = vec![0u8; message.buffer_len()];
    message.serialize(&mut buf);
    socket.send(&buf, 0).map_err(io)?;
    let mut answer: Vec<u8> = Vec::with_capacity(8192);
    loop {
        answer.clear();
        socket.recv(&mut answer, 0).map_err(io)?;
        let reply = <NetlinkMessage<RouteNetlinkMessage>>::deserialize(&answer).map_err(|_| libc::EPROTO)?;
        match reply.payload {
            NetlinkPayload::Error(e) => return if e.raw_code() == 0 { Ok(()) } else { Err(-e.raw_code()) },
            NetlinkPayload::Done(_) => return Ok(()),
            _ => continue, // not the answer to our request
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mac_has_six_hex_bytes() {
        assert_eq!(parse_mac("02:6b:0a:00:00:02"), Some(vec![2, 0x6b, 10, 0, 0, 2]));
        assert_eq!(parse_mac("02:6b:0a"), None);
        assert_eq!(parse_mac("zz:6b:0a:00:00:02"), None);
    }

    #[test]
    fn an_unknown_link_is_enodev_in_the_trace() {
        let (result, events) = crate::trace::capture(|| set_link("kit-no-such-link", &LinkChange { up: true, ..Default::default() }));
        let events = crate::trace::json_array(&events);
        assert_eq!(result, Err(libc::ENODEV));
        assert!(events.contains("\"RTM_NEWLINK\""), "{}", events);
        assert!(events.contains("ENODEV"), "{}", events);
    }
}
