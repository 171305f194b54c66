import { CLONE, type HostContext, type PlanPart } from 'kit';

interface Given {
  hostUid: number;
  hostGid: number;
  count: number;
  setgroups: 'allow' | 'deny';
}

export default function lab(given: Given): PlanPart {
  const write = (ctx: HostContext, file: string, text: string) => void ctx.trace.check(undefined, (n) => n.writeFile(`/proc/${ctx.pid}/${file}`, text));
  return {
    cloneFlags: CLONE.NEWUSER,
    attach: [
      { why: 'setgroups first: "deny" is required before an unprivileged gid_map', run: (ctx) => write(ctx, 'setgroups', given.setgroups) },
      { why: "uid_map: the container's uids 0.. are the host's hostUid..", run: (ctx) => write(ctx, 'uid_map', `0 ${given.hostUid} ${given.count}`) },
      { why: 'gid_map: the same for group ids', run: (ctx) => write(ctx, 'gid_map', `0 ${given.hostGid} ${given.count}`) },
    ],
    // 'g': the child also drops its supplementary groups (setgroups); 'n': setgroups is denied.
    release: given.setgroups === 'allow' ? 'g' : 'n',
  };
}
