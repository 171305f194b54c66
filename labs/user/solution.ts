import { CLONE, type HostContext, type PlanPart } from 'kit';

export default function lab(given: { hostId: number; count: number }): PlanPart {
  const map = `0 ${given.hostId} ${given.count}`;
  const write = (ctx: HostContext, file: string, text: string) => void ctx.trace.check(undefined, (n) => n.writeFile(`/proc/${ctx.pid}/${file}`, text));
  return {
    cloneFlags: CLONE.NEWUSER,
    attach: [
      { why: 'setgroups "allow": root inside may set its groups, among the mapped gids', run: (ctx) => write(ctx, 'setgroups', 'allow') },
      { why: "uid_map: the container's uids 0.. are the host's given.hostId..", run: (ctx) => write(ctx, 'uid_map', map) },
      { why: 'gid_map: the same for group ids', run: (ctx) => write(ctx, 'gid_map', map) },
    ],
    release: 'g',
  };
}
