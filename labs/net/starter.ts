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

/**
 * Lab net: the container serves HTTP on its port 80. Give it a network of
 * its own, wire it to the host with a veth pair, and publish its port 80 on
 * given.hostAddress:given.port, as `docker run -p` does with a DNAT rule.
 *
 * checkCommand(ctx.trace, why, argv) runs a host program (ip, nsenter,
 * iptables), traced; a failure stops the run with its message.
 */
export default function lab(given: Given): PlanPart {
  const run = (ctx: HostContext, argv: string[]) => void checkCommand(ctx.trace, undefined, argv);
  void run;
  void CLONE;
  void given;
  return {
    cloneFlags: 0, // TODO: a network namespace of its own
    attach: [
      // TODO: the veth pair (journaled), one end moved into the container (ctx.pid)
      // TODO: addresses and links up on both ends, lo up, a default route inside
      // TODO: the DNAT rule (journaled)
    ],
  };
}
