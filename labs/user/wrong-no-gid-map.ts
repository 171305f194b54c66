import { CLONE, type HostContext, type PlanPart } from 'kit';

/** Wrong on purpose: uid_map only; gid 0 is not mapped, so the child cannot become root. */
export default function lab(given: { hostId: number; count: number }): PlanPart {
  const write = (ctx: HostContext, file: string, text: string) => void ctx.trace.check(undefined, (n) => n.writeFile(`/proc/${ctx.pid}/${file}`, text));
  return {
    cloneFlags: CLONE.NEWUSER,
    attach: [{ why: 'uid_map', run: (ctx) => write(ctx, 'uid_map', `0 ${given.hostId} ${given.count}`) }],
    release: 'g',
  };
}
