import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { hostLinkName } from '../../core/network/config';
import { LEASE_DIR } from '../../core/network/ipam';
import { cleanKitRoot, containerRunning, eventually, hostSnapshot, kit, kitBackground, running } from '../support/kit';
// The soak's picture of the host: mounts, links, netns, iptables-save without counters, kit's cgroup dirs, processes, files.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { snapshot } = require('../soak/host-snapshot') as { snapshot(root: string): Record<string, string[]> };

/**
 * `kit reset` after a broken demo: containers of every kind (a detached one
 * publishing a port on kit0, a kept exited one, one whose kit was killed with
 * -9 mid-run), then reset, and the host holds nothing of this kit root's.
 * Other test files run at the same time with kit roots of their own: what is
 * theirs (their veths, rules, cgroups, and kit0 while they use it) is not ours
 * to assert on, and reset must not touch it.
 */
const kr = cleanKitRoot(() => kit(['reset'], kr.env));

beforeAll(() => expect(kit(['image', 'ls'], kr.env).status).toBe(0)); // builds base once

/** The lines of a host picture that are this test's: under its kit root, or naming one of its containers. */
function ours(picture: Record<string, string[]>, ids: string[]): string[] {
  const marks = [kr.root, ...ids, ...ids.map(hostLinkName)];
  return Object.entries(picture).flatMap(([view, lines]) => lines.filter((l) => marks.some((m) => l.includes(m))).map((l) => `${view}: ${l}`));
}

/** This root's containers, running or kept, read from disk (any kit command would first reap the one whose kit was killed). */
function ids(): string[] {
  const list = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((id) => !id.startsWith('.')) : []);
  return [...new Set([...list(join(kr.root, 'run', 'containers')), ...list(join(kr.root, 'data', 'containers'))])];
}

test('kit reset undoes containers, kit0 use, a kill -9 of kit mid-run; --dry-run lists it all and changes nothing', async () => {
  const before = snapshot(kr.root);
  const port = String(20000 + (process.pid % 10000));
  expect(kit(['run', '-d', '--name', 'web', '-p', `${port}:80`, 'base', 'sleep', '300'], kr.env).status).toBe(0);
  expect(kit(['run', '--name', 'done', 'base', 'true'], kr.env).status).toBe(0);
  const killed = kitBackground(['run', 'base', 'sleep', '301'], kr.env);
  const exited = new Promise((resolve) => killed.on('exit', resolve));
  let pid = 0;
  let killedId = '';
  await eventually(() => {
    const c = containerRunning(kr.root, '301');
    [pid, killedId] = [c?.pid ?? 0, c?.id ?? ''];
    return pid > 0;
  });
  killed.kill('SIGKILL');
  await exited;
  await eventually(() => !running(pid));
  // Its netns died with its last process; the kernel removes the veth pair with it a moment later, in a work queue.
  await eventually(() => !existsSync(join('/sys/class/net', hostLinkName(killedId))));

  const all = ids();
  expect(all).toHaveLength(3);
  const during = snapshot(kr.root);
  const made = ours(during, all);
  // What reset has to undo is there: the published port's DNAT rule, a veth on kit0, cgroups, the overlay root.
  expect(made.filter((l) => l.startsWith('rules:') && l.includes(`--dport ${port}`))).toHaveLength(1);
  expect(made.filter((l) => l.startsWith('links:')).length).toBeGreaterThanOrEqual(1);
  expect(made.filter((l) => l.startsWith('cgroups:')).length).toBeGreaterThanOrEqual(1);
  expect(made.filter((l) => l.startsWith('mounts:')).length).toBeGreaterThanOrEqual(1);

  const dry = kit(['reset', '--dry-run'], kr.env);
  expect(dry.status).toBe(0);
  expect(dry.stdout).toMatch(/^would undo container web \([0-9a-f]{12}, running\)$/m);
  expect(dry.stdout).toMatch(/^would undo container done \([0-9a-f]{12}, exited\)$/m);
  expect(dry.stdout).toMatch(/^would undo container \w+ \([0-9a-f]{12}, owner died\)$/m);
  expect(dry.stdout).toContain(`--dport ${port}`);
  expect(ours(snapshot(kr.root), all)).toEqual(made); // the dry run changed nothing
  expect(ids()).toHaveLength(3);

  const justBefore = snapshot(kr.root);
  const reset = kit(['reset'], kr.env);
  const after = snapshot(kr.root);
  expect(reset.stderr).toBe('');
  expect(reset.status).toBe(0);
  expect(reset.stdout).toMatch(/^undid container web /m);

  // Nothing of this kit root is left: mounts, links, rules, cgroups, processes, state and kept containers.
  expect(ours(after, all)).toEqual(ours(before, all));
  expect(ours(after, all)).toEqual([]);
  expect(hostSnapshot(kr.root).containers).toEqual([]);
  expect(kit(['ps', '-aq'], kr.env).stdout).toBe('');
  // kit0 and the KIT chain: removed, or kept because another kit root's container holds an address on it (named, and not ours).
  const kept = /^kept the shared kit0 network .*: (.*)$/m.exec(reset.stdout)?.[1];
  if (kept) for (const id of all) expect(kept).not.toContain(id.slice(0, 12));
  // (prune removes the lease dir with kit0: kit0 here again means another kit run made it since)
  else if (!before.links.includes('kit0')) expect(!after.links.includes('kit0') || existsSync(LEASE_DIR)).toBe(true);
  // Reset touched nothing that is not kit's.
  for (const view of ['links', 'rules', 'netns'] as const) {
    const lost = justBefore[view].filter((l) => !/kit/i.test(l) && !after[view].includes(l));
    expect(`${view}: ${lost.join(', ')}`).toBe(`${view}: `);
  }
});

test('kit reset with nothing to undo says so and exits 0; --json lists what it did', () => {
  const r = kit(['reset', '--dry-run'], kr.env);
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/nothing to undo|kept the shared kit0 network|would undo the shared kit0 network/);
  const json = JSON.parse(kit(['reset', '--json'], kr.env).stdout) as { containers: unknown[]; problems: string[] };
  expect(json.containers).toEqual([]);
  expect(json.problems).toEqual([]);
});
