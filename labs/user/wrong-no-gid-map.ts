import { CLONE, type HostContext, type PlanPart } from 'kit';

interface Given {
  hostUid: number;
  hostGid: number;
  count: number;
  setgroups: 'allow' | 'deny';
}

/** Wrong on purpose: uid_map only; gid 0 is not mapped, so the child cannot become root. */
export default function lab(given: Given): PlanPart {
  const write = (ctx: HostContext, file: string, text: string) => void ctx.trace.check(undefined, (n) => n.writeFile(`/proc/${ctx.pid}/${file}`, text));
  return {
    cloneFlags: CLONE.NEWUSER,
    attach: [
      { why: 'setgroups', run: (ctx) => write(ctx, 'setgroups', given.setgroups) },
      { why: 'uid_map', run: (ctx) => write(ctx, 'uid_map', `0 ${given.hostUid} ${given.count}`) },
    ],
    release: given.setgroups === 'allow' ? 'g' : 'n',
  };
}
