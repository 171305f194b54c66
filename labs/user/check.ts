import type { Lab } from '../lab';
import { observeNamespaces, ownNamespace, WAIT } from '../common';
import { readProc } from '../observe';
import { calls, failedCall, show } from '../trace';

/** The first field of a /proc/<pid>/status id line (Uid: real effective saved fs), as the host sees it. */
function hostId(pid: number, field: 'Uid' | 'Gid'): number | undefined {
  const line = readProc(pid, 'status')?.split('\n').find((l) => l.startsWith(`${field}:`));
  return line ? Number(line.split(/\s+/)[1]) : undefined;
}

const lab: Lab = {
  id: 'user',
  order: 48,
  title: 'User namespace: root inside, an ordinary uid outside',
  chapter: 'user',
  command: WAIT,
  withoutRoot: 'as-is',
  // As root: a range of 65536 unused host ids, as Docker's userns-remap takes
  // from /etc/subuid. Without root the kernel lets a process map one id only,
  // its own, and only after setgroups is denied.
  setup: (id) =>
    process.getuid?.() === 0
      ? { given: { hostUid: 3_000_000 + (parseInt(id.slice(0, 4), 16) % 1000) * 65536, hostGid: 3_000_000 + (parseInt(id.slice(0, 4), 16) % 1000) * 65536, count: 65536, setgroups: 'allow' }, part: {} }
      : { given: { hostUid: process.getuid?.() ?? 0, hostGid: process.getgid?.() ?? 0, count: 1, setgroups: 'deny' }, part: {} },
  observe: (pid) => ({
    ...observeNamespaces(pid, ['user']),
    uidMap: readProc(pid, 'uid_map')?.trim().split(/\s+/).map(Number),
    gidMap: readProc(pid, 'gid_map')?.trim().split(/\s+/).map(Number),
    hostUid: hostId(pid, 'Uid'),
    hostGid: hostId(pid, 'Gid'),
  }),
  hints: [
    'A user namespace: `cloneFlags: CLONE.NEWUSER`. The child starts as nobody there: no id is mapped yet, and it waits.',
    "While it waits, write its files from the host, in `attach` steps (ctx.pid is set), one write each: /proc/<pid>/setgroups gets given.setgroups, then uid_map \"0 <given.hostUid> <given.count>\" and gid_map \"0 <given.hostGid> <given.count>\" (`ctx.trace.check(why, (n) => n.writeFile(path, text))`).",
    "Then release it: `release: 'g'` (or 'n' when setgroups is denied) is the byte kit sends once the maps are written: the child calls setgroups (with 'g'), setresgid(0) and setresuid(0), and becomes root of its namespace.",
  ],
  timeoutSeconds: 20,
  checks: [
    ownNamespace('user', 'CLONE_NEWUSER', 0),
    {
      name: "its uid_map and gid_map put 0 at given.hostUid and hostGid (/proc/<pid>/uid_map: '0 hostUid count')",
      pass: (run) => JSON.stringify(run.seen.uidMap) === JSON.stringify([0, run.given.hostUid, run.given.count]) && JSON.stringify(run.seen.gidMap) === JSON.stringify([0, run.given.hostGid, run.given.count]),
      diagnose: (run) => {
        const failed = failedCall(run.trace, 'write', /_map"/);
        if (failed) return `${show(failed)}: a map is written once, in one write, as "inside outside count" lines`;
        for (const [map, id] of [['uid_map', 'uid'], ['gid_map', 'gid']]) {
          if (!calls(run.trace, 'write', new RegExp(`/${map}"`)).length) return `no write to ${map} in the trace: ${id} 0 is not mapped, so the child cannot become root (setres${id}(0) fails) and exits before kit-init`;
        }
        return `the maps read uid ${JSON.stringify(run.seen.uidMap ?? [])}, gid ${JSON.stringify(run.seen.gidMap ?? [])}`;
      },
      hint: 1,
    },
    {
      name: 'it runs as root inside, which the host sees as given.hostUid and hostGid (/proc/<pid>/status Uid and Gid)',
      pass: (run) => run.seen.hostUid === run.given.hostUid && run.seen.hostGid === run.given.hostGid,
      diagnose: (run) => `the host sees uid ${String(run.seen.hostUid)}, gid ${String(run.seen.hostGid)}`,
      hint: 2,
    },
  ],
};

export default lab;
