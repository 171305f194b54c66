import { type Chapter, type ChapterResultData as ClaimRun, claimData } from '../core';

/** The server inside: a tmpfs page (the host's files stay untouched) and busybox httpd on port 80. */
const SERVER = [
  'mount -t tmpfs kit-www /mnt',
  'echo "hello from the container $(hostname)" > /mnt/index.html',
  'exec busybox httpd -f -p 80 -h /mnt',
].join(' && ');

/** Without root: the Sandbox alone, looked at from inside (busybox ip, ping). */
const LO_ONLY = [
  'ip -o link',
  'ip -o addr',
  'echo "routes: $(ip route | wc -l)"',
  'ping -c 1 -W 1 127.0.0.1 | grep transmitted',
  'ip route get 1.1.1.1 2>&1 | head -n 1',
].join('; ');

/**
 * The nat table's line for the DNAT rule this run added, as a probe of
 * `phase` listed it, found by the rule's comment (the container's id): the
 * table also holds other containers' rules, which may reuse the address.
 */
function natRuleOf(r: ClaimRun, phase: 'during' | 'after'): string | undefined {
  const rule = claimData.dnatRule(r);
  const text = claimData.probe(r, phase, 'nat-rules')?.text ?? '';
  return rule && text.split('\n').find((l) => l.includes(`"${rule.comment}"`) || l.includes(` ${rule.comment} `));
}

/** How many links the host had before the run, as the host-links probe's title says ("the host's 9 links (ip -br link)"). */
function hostLinkCount(r: ClaimRun): number | undefined {
  const title = claimData.probe(r, 'before', 'host-links')?.title ?? '';
  const count = /^the host's (\d+) links/.exec(title)?.[1];
  return count === undefined ? undefined : Number(count);
}

/** The links `ip -o link` printed inside ("1: lo: <LOOPBACK,UP,LOWER_UP> ..."). */
function linksInside(stdout: string): string[] {
  // ip -o link: "1: lo: <...>"; ip -o addr (its Try line): "1: lo    inet 127.0.0.1/8 ...", a line per address
  return [...new Set([...stdout.matchAll(/^\d+: ([^:@\s]+)(?:[:@]|\s)/gm)].map((m) => m[1]))];
}

const chapter: Chapter = {
  id: 'net',
  order: 40,
  title: 'Network namespace: veth, the kit0 bridge, NAT and -p',
  turnsOn: ['net namespace', 'veth pair', 'kit0 bridge', 'iptables NAT'],
  summary: 'CLONE_NEWNET, then everything `docker run -p 8080:80` adds: veth, bridge, address, route, DNAT',
  story: `Every \`docker run\` container gets its own network namespace: its own links,
addresses, routes and ports. A new one holds a single link, lo, and it is down:
the container can reach nothing, not even itself. libnetwork calls this the
Sandbox. In Docker's default mode, bridge, it is then wired up step by step,
and kit does the same, each step a line of the trace below:
  1. the Network: a bridge, kit0 (Docker's docker0), a virtual switch on the
     host with the subnet's first address, the containers' gateway. Shared by
     every container: made by the first and kept, as Docker keeps docker0
     (\`kit network prune\` removes it; this chapter does too, at its end, if
     its run is what made it).
  2. the Endpoint: a veth pair, two links joined like the ends of a cable. The
     host end, kitv<id>, is plugged into kit0.
  3. after clone(), the other end is moved into the container's namespace (by
     an fd of /proc/<pid>/ns/net); inside, kit-init renames it eth0, gives it a
     MAC, an address from kit's IPAM (a lease file per address under a lock,
     so parallel runs never share one) and a default route via the gateway;
     lo goes up.
  Links, addresses and routes are rtnetlink messages (RTM_NEWLINK...), what
  \`ip\` sends; each line of the trace names the \`ip\` command it equals.
  4. NAT, with iptables (kit says which backend, nf_tables or legacy): a KIT
     chain in the nat table, jumped to from PREROUTING (packets from outside)
     and OUTPUT (packets the host sends itself); MASQUERADE so containers go
     out as the host; FORWARD accepts for kit0; net.ipv4.ip_forward=1.
  5. -p 8080:80 is one DNAT rule in KIT: tcp dpt:8080 to <container>:80.
Docker answers 127.0.0.1:8080 with docker-proxy, a userland process that
copies bytes between a socket on the host and the container. kit uses no
proxy: route_localnet=1 on kit0 lets the kernel DNAT a packet from 127.0.0.1
out of kit0, and a MASQUERADE rule gives it the gateway's address, so the
container can answer. One fewer process; the NAT table is the whole story.
route_localnet has a price: the kernel now accepts packets for 127.0.0.0/8
arriving on kit0, so a container that routes 127.0.0.1 to its gateway would
reach services the host bound to 127.0.0.1 only. kit keeps the proxy-less
design and adds the guard Kubernetes and Amazon ECS add with route_localnet:
an INPUT rule dropping what arrives on kit0 for 127.0.0.0/8 unless it is a
reply or DNATed (\`kit chapter escape\` tries it).
(The packet curl sends from the host itself never passes PREROUTING: locally
made packets take the OUTPUT chain, hence the second jump.)`,
  unconfined: "the server mounts a tmpfs to serve its page from: it runs on the host's own files, with no image to write in",
  spec: {
    security: { capAdd: ['SYS_ADMIN'], seccomp: 'unconfined' },
    namespaces: ['mount', 'uts', 'pid'],
    network: 'bridge',
    ports: [{ hostPort: 8080, containerPort: 80, protocol: 'tcp' }],
    hostname: 'kit-net-demo',
    command: ['sh', '-c', SERVER],
  },
  probes: {
    before: ['nat-rules', 'bridge-links'],
    during: ['nat-rules', 'bridge-links'],
    // eth0 is configured by kit-init once released: seen while the command runs
    running: ['container-network', 'reach-container'],
    after: ['nat-rules', 'bridge-links'],
  },
  takeaway: `During the run, the lines marked + are what kit added: the KIT chain, its jumps
from PREROUTING and OUTPUT, the MASQUERADE and FORWARD rules, and the DNAT rule
for 8080 (if kit0 was already there, made by an earlier container, only the DNAT
rule is new: the rest is shared and kept). kit0 lists the container's kitv link.
Inside, eth0 has an address on kit0's subnet and a default route via kit0's
address. The host pings that address, and 127.0.0.1:8080 is answered by busybox
httpd inside. Afterwards the DNAT rule and the veth are gone: the trace ends
with their undo. After \`kit run\`, kit0 and the shared rules stay, as docker0
does, so the next container only adds its own veth, address and DNAT rule;
\`kit network prune\` (as root) removes them once no container uses them. This
chapter prunes them itself if its run made them: Host after matches Host before.`,
  claims: [
    { says: 'during the run the nat table has a DNAT rule for port 8080 to the container', holds: (r) => natRuleOf(r, 'during')?.includes('--dport 8080 ') ?? false },
    { says: "inside, eth0 has an address on kit0's subnet and a default route via kit0's address", holds: (r) => /inet [\d.]+\/\d+ .*eth0/.test(claimData.probe(r, 'running', 'container-network')?.text ?? '') && /default via [\d.]+ dev eth0/.test(claimData.probe(r, 'running', 'container-network')?.text ?? '') },
    { says: 'the host pinged the container, and 127.0.0.1:8080 was answered by busybox httpd inside', holds: (r) => / 0% packet loss/.test(claimData.probe(r, 'running', 'reach-container')?.text ?? '') && /hello from the container/.test(claimData.probe(r, 'running', 'reach-container')?.text ?? '') },
    { says: "afterwards this container's DNAT rule is gone", holds: (r) => natRuleOf(r, 'during') !== undefined && claimData.probe(r, 'after', 'nat-rules') !== undefined && natRuleOf(r, 'after') === undefined },
  ],
  tryNext: [
    'sudo kit chapter net -- ip addr                       # the Sandbox with its Endpoint, and nothing else',
    'sudo kit run --network none base ip link              # a Sandbox with no Endpoint: lo only',
    'sudo kit run --network host base ip link              # no Sandbox: the host\'s links',
    'sudo kit run -d --name web -p 8080:80 base busybox httpd -f -p 80 -h /etc   # then: curl http://127.0.0.1:8080/hostname',
    'sudo kit network prune                                # remove kit0 and its rules (and what a killed kit left)',
  ],
  explain: {
    clone: `CLONE_NEWNET gives the child a new network namespace: a network stack of its own with only lo, down. Links can be moved between namespaces (ip link set X netns PID), which is how eth0 gets in.`,
    RTM_NEWLINK: `kit talks rtnetlink to the kernel, as ip (iproute2) does, and each line says which ip command sends the same message. RTM_NEWLINK creates a link (a bridge, a veth pair) or changes one: its master, its name, its MAC, up, or which network namespace it is in (given by an fd of /proc/PID/ns/net). The messages marked [ctr ] come from kit-init inside the container: a netlink socket talks to the namespace it was opened in.`,
    RTM_NEWADDR: `RTM_NEWADDR adds an address to a link (ip addr add); the kernel also adds the route to the address's subnet.`,
    RTM_NEWROUTE: `RTM_NEWROUTE adds a route (ip route add): the default route sends everything not on the subnet to the gateway, kit0's address.`,
    iptables: `iptables edits netfilter tables. -N makes a chain, -C checks a rule exists (so several kits never add it twice), -A/-I add it, -D deletes exactly it. In the nat table, DNAT rewrites a packet's destination, MASQUERADE its source; conntrack remembers the mapping and rewrites the answers back.`,
    flock: `An exclusive lock on /run/kit-net/lock: kit0, the KIT chain and the address leases are shared by every kit process on the host, and their check-then-change steps must not interleave. The kernel drops the lock if kit dies.`,
  },
  withoutRoot: {
    title: 'Network namespace: lo only (without root)',
    turnsOn: ['net namespace', 'user namespace'],
    summary: 'CLONE_NEWNET through a user namespace: a network stack of its own, with lo only',
    story: `Every \`docker run\` container gets its own network namespace: its own links,
addresses, routes and ports. With root, kit then wires it to the host the way
Docker does: a veth pair into the kit0 bridge, an address, a default route,
iptables NAT for -p (\`sudo kit chapter net\` shows all of it). Those steps change
the host itself, and only root may. What any user may make is the namespace:
clone() with CLONE_NEWUSER|CLONE_NEWNET gives the child a user namespace in
which it is root, and a network namespace owned by it. A new network namespace
holds a single link, lo, and it is down; kit brings it up from inside (root
there has CAP_NET_ADMIN over its own namespace, none over the host's). This is
Docker's \`--network none\`: libnetwork's Sandbox with no Endpoint. Inside, the
container lists its links, addresses and routes, pings 127.0.0.1, and asks the
kernel for a route to 1.1.1.1 (no packet is sent).`,
    spec: {
      image: 'base',
      namespaces: ['mount', 'uts', 'pid'],
      network: 'none',
      hostname: 'kit-net-demo',
      command: ['sh', '-c', LO_ONLY],
    },
    probes: { before: ['host-links'], during: ['container-process'], after: ['host-links'] },
    takeaway: `Inside, ip link lists one link, lo, up: the container's network stack is its
own and has nothing else. 127.0.0.1 answers, but it is the container's own
loopback, not the host's: a service the host bound to 127.0.0.1 is not there.
There are no routes, so 1.1.1.1 is unreachable: nothing leaves. The host's links
are not in it, and the host's table is as it was: a network namespace of one's
own changes nothing outside. To connect it, root adds a veth into kit0 and NAT
rules (sudo kit chapter net).`,
    claims: [
      { says: 'inside, ip link lists one link, lo, and it is up', holds: (r) => linksInside(r.container.stdout).join(',') === 'lo' && /^1: lo: <[^>]*\bUP\b/m.test(r.container.stdout) },
      { says: "127.0.0.1 answers inside: the container's own loopback", holds: (r) => /1 packets transmitted, 1 packets received/.test(r.container.stdout) },
      { says: 'there is no route out: no routes, and 1.1.1.1 is unreachable', holds: (r) => /^routes: 0$/m.test(r.container.stdout) && /Network is unreachable/.test(r.container.stdout) },
      {
        says: (r) => `none of the host's ${hostLinkCount(r) ?? ''} links is inside`.replace('  ', ' '),
        holds: (r) => (hostLinkCount(r) ?? 0) > 1 && linksInside(r.container.stdout).join(',') === 'lo',
      },
    ],
    tryNext: [
      'kit chapter net -- ip -o addr                  # lo only: 127.0.0.1 and ::1',
      'kit run --network none base ip link            # the same Sandbox with no Endpoint',
      'sudo kit chapter net                           # with root: veth, the kit0 bridge, NAT and -p',
    ],
    requires: [{ tool: 'ip', install: 'install it: apt-get install iproute2' }],
  },
  requires: [
    { tool: 'iptables', install: 'install it: apt-get install iptables' },
    { tool: 'ip', install: 'install it: apt-get install iproute2' },
    { tool: 'nsenter', install: 'install it: apt-get install util-linux' },
  ],
};

export default chapter;
