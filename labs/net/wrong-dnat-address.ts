import { checkCommand, CLONE, type HostContext, type PlanPart } from 'kit';

interface Given {
  hostInterface: string;
  containerInterface: string;
  hostAddress: string;
  containerAddress: string;
  prefix: number;
  port: number;
  tag: string;
}

/** Wrong on purpose: the DNAT rule sends the port to the host end, not the container. */
function wrongAddress(address: string): string {
  return address;
}

export default function lab(given: Given): PlanPart {
  const run = (ctx: HostContext, argv: string[]) => void checkCommand(ctx.trace, undefined, argv);
  const inside = (ctx: HostContext, argv: string[]) => run(ctx, ['nsenter', '-t', String(ctx.pid), '-n', ...argv]);
  const dnat = ['-d', given.hostAddress, '-p', 'tcp', '--dport', String(given.port), '-m', 'comment', '--comment', given.tag, '-j', 'DNAT', '--to-destination', `${wrongAddress(given.hostAddress)}:80`];
  return {
    cloneFlags: CLONE.NEWNET,
    attach: [
      {
        why: 'a veth pair: two network interfaces joined by a cable',
        run: (ctx) => ctx.changes.make({ op: 'link-delete', name: given.hostInterface }, () => run(ctx, ['ip', 'link', 'add', given.hostInterface, 'type', 'veth', 'peer', 'name', given.containerInterface])),
      },
      { why: "move one end into the container's network namespace", run: (ctx) => run(ctx, ['ip', 'link', 'set', given.containerInterface, 'netns', String(ctx.pid)]) },
      {
        why: "the host's end: an address and up",
        run: (ctx) => {
          run(ctx, ['ip', 'addr', 'add', `${given.hostAddress}/${given.prefix}`, 'dev', given.hostInterface]);
          run(ctx, ['ip', 'link', 'set', given.hostInterface, 'up']);
        },
      },
      {
        why: "the container's end: an address, up, lo up, a default route via the host",
        run: (ctx) => {
          inside(ctx, ['ip', 'addr', 'add', `${given.containerAddress}/${given.prefix}`, 'dev', given.containerInterface]);
          inside(ctx, ['ip', 'link', 'set', given.containerInterface, 'up']);
          inside(ctx, ['ip', 'link', 'set', 'lo', 'up']);
          inside(ctx, ['ip', 'route', 'add', 'default', 'via', given.hostAddress]);
        },
      },
      {
        why: 'publish port 80: connections to hostAddress:port go to the container',
        run: (ctx) => ctx.changes.make({ op: 'iptables-delete', table: 'nat', chain: 'OUTPUT', spec: dnat }, () => run(ctx, ['iptables', '-w', '-t', 'nat', '-A', 'OUTPUT', ...dnat])),
      },
    ],
  };
}
