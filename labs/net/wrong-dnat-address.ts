import { checkCommand, type HostContext, type PlanPart } from 'kit';
import solution from './solution';

/** Wrong on purpose: the reference steps, but the DNAT rule sends the port to the host's end, not the container. */
export default function lab(given: Parameters<typeof solution>[0]): PlanPart {
  const part = solution(given);
  const spec = ['-d', given.hostAddress, '-p', 'tcp', '--dport', String(given.port), '-m', 'comment', '--comment', given.tag, '-j', 'DNAT', '--to-destination', `${given.hostAddress}:80`];
  const rule = {
    why: 'publish port 80',
    run: (ctx: HostContext) =>
      ctx.changes.make({ op: 'iptables-delete', table: 'nat', chain: 'OUTPUT', spec }, () => void checkCommand(ctx.trace, undefined, ['iptables', '-w', '-t', 'nat', '-A', 'OUTPUT', ...spec])),
  };
  return { ...part, attach: [...(part.attach ?? []).slice(0, -1), rule] };
}
