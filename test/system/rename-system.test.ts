import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanKitRoot, hostSnapshot, kit } from '../support/kit';

/** kit rename, kit system df and kit system prune, as Docker users type them. */
const kr = cleanKitRoot(() => kit(['reset'], kr.env));

beforeAll(() => expect(kit(['image', 'ls'], kr.env).status).toBe(0)); // builds base once

const names = () => (existsSync(join(kr.root, 'run', 'names')) ? readdirSync(join(kr.root, 'run', 'names')) : []);

test('kit rename: a running container answers to its new name only, keeps it after it exits, and its name link goes with it', () => {
  expect(kit(['run', '-d', '--name', 'before', 'base', 'sleep', '60'], kr.env).status).toBe(0);
  expect(kit(['rename', 'before', 'after'], kr.env).status).toBe(0);
  expect(kit(['ps', '--format', '{{.Names}}'], kr.env).stdout).toBe('after\n');
  expect(kit(['exec', 'after', 'true'], kr.env).status).toBe(0);
  expect(kit(['exec', 'before', 'true'], kr.env).stderr).toMatch(/no such container: before/);
  expect(names()).toEqual(['after']);
  // A name in use, and a bad one: one line each.
  expect(kit(['run', '-d', '--name', 'other', 'base', 'sleep', '60'], kr.env).status).toBe(0);
  const taken = kit(['rename', 'after', 'other'], kr.env);
  expect(taken.status).not.toBe(0);
  expect(taken.stderr.trim()).toMatch(/^kit: the name "other" is already in use by container [0-9a-f]{12}; /);
  expect(kit(['rename', 'after', 'no good'], kr.env).stderr.trim()).toMatch(/^kit: invalid container name "no good"; /);
  expect(kit(['stop', '-t', '0', 'after', 'other'], kr.env).status).toBe(0);
  expect(names()).toEqual([]); // the owners removed the links, the renamed one included
  expect(kit(['rename', 'after', 'exited'], kr.env).status).toBe(0);
  expect(kit(['ps', '-a', '--format', '{{.Names}}'], kr.env).stdout.split('\n').filter(Boolean).sort()).toEqual(['exited', 'other']);
  expect(kit(['rm', 'exited', 'other'], kr.env).status).toBe(0);
});

interface Row {
  type: string;
  total: number;
  active: number;
  size: number;
  reclaimable: number;
}

test('kit system df counts images, container layers and volumes; system prune removes the stopped and unused, never a running one', () => {
  const df = () => Object.fromEntries((JSON.parse(kit(['system', 'df', '--json'], kr.env).stdout) as Row[]).map((r) => [r.type, r]));
  const empty = df();
  expect(empty.Containers).toEqual({ type: 'Containers', total: 0, active: 0, size: 0, reclaimable: 0 });
  expect(empty.Images.total).toBe(1); // base
  expect(empty.Images.size).toBeGreaterThan(100_000);

  expect(kit(['volume', 'create', 'store'], kr.env).status).toBe(0);
  expect(kit(['run', '--name', 'writer', '-v', 'store:/data', 'base', 'sh', '-c', 'head -c 5000 /dev/zero > /data/f; head -c 3000 /dev/zero > /g'], kr.env).status).toBe(0);
  expect(kit(['run', '-d', '--name', 'alive', 'base', 'sleep', '60'], kr.env).status).toBe(0);
  const used = df();
  expect(used['Local Volumes']).toMatchObject({ total: 1, active: 1, size: 5000, reclaimable: 0 });
  expect(used.Containers).toMatchObject({ total: 2, active: 1 });
  expect(used.Containers.reclaimable).toBeGreaterThanOrEqual(3000); // writer's layer holds /g
  expect(used.Images).toMatchObject({ total: 1, active: 1, reclaimable: 0 });

  const pruned = kit(['system', 'prune', '-f', '--volumes'], kr.env);
  expect(pruned.status).toBe(0);
  expect(pruned.stdout).toMatch(/^deleted container [0-9a-f]{12}$/m);
  expect(pruned.stdout).toMatch(/^deleted volume store$/m);
  expect(kit(['ps', '-a', '--format', '{{.Names}}'], kr.env).stdout).toBe('alive\n'); // running: kept
  expect(df()['Local Volumes']).toMatchObject({ total: 0, size: 0 });
  expect(kit(['rm', '-f', 'alive'], kr.env).status).toBe(0);
  expect(hostSnapshot(kr.root).containers).toEqual([]);
});

test('kit cp both ways through a running container\'s root; a symlink in the container never leads to a host file', () => {
  const host = mkdtempSync(join(kr.root, 'cp-'));
  writeFileSync(join(host, 'secret'), 'host only\n');
  // /srv/out climbs out of the root by .. and /srv/abs names the host dir absolutely: both must stay inside the container.
  const setup = `mkdir -p /srv/d/sub; echo inner > /srv/d/f; echo deep > /srv/d/sub/g; ln -s ../../../../../../..${host} /srv/out; ln -s ${host} /srv/abs; ln -s /etc/hostname /srv/d/link; echo ready; exec sleep 120`;
  expect(kit(['run', '-d', '--name', 'box', 'base', 'sh', '-c', setup], kr.env).status).toBe(0);
  expect(kit(['exec', 'box', 'test', '-e', '/srv/abs'], kr.env).status).not.toBe(0); // (the links dangle inside the container)
  const out = join(host, 'copied');
  mkdirSync(out);
  const pulled = kit(['cp', 'box:/srv/d', out], kr.env);
  expect(pulled.status).toBe(0);
  expect(pulled.stderr).toContain('left out /srv/d/link');
  expect(readFileSync(join(out, 'd', 'f'), 'utf8')).toBe('inner\n');
  expect(readFileSync(join(out, 'd', 'sub', 'g'), 'utf8')).toBe('deep\n');
  expect(existsSync(join(out, 'd', 'link'))).toBe(false);
  // Reading through the links: the container's view (nothing there), never the host file.
  for (const via of ['/srv/out/secret', '/srv/abs/secret']) {
    const r = kit(['cp', `box:${via}`, join(host, 'leaked')], kr.env);
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim()).toMatch(new RegExp(`^kit: cannot open ${via} in the container: .*ENOENT`));
    expect(existsSync(join(host, 'leaked'))).toBe(false);
  }
  // Into the container: a file and a tree land inside; a write through a link is refused and the host file is unchanged.
  writeFileSync(join(host, 'note'), 'from host\n');
  expect(kit(['cp', join(host, 'note'), 'box:/srv/d'], kr.env).status).toBe(0);
  expect(kit(['cp', join(out, 'd', 'sub'), 'box:/tmp'], kr.env).status).toBe(0);
  expect(kit(['exec', 'box', 'cat', '/srv/d/note', '/tmp/sub/g'], kr.env).stdout).toBe('from host\ndeep\n');
  for (const via of ['box:/srv/out/secret', 'box:/srv/abs/secret']) {
    const r = kit(['cp', join(host, 'note'), via], kr.env);
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  }
  expect(readFileSync(join(host, 'secret'), 'utf8')).toBe('host only\n');
  expect(readdirSync(host).sort()).toEqual(['copied', 'note', 'secret']);
  expect(kit(['rm', '-f', 'box'], kr.env).status).toBe(0);
  expect(kit(['cp', join(host, 'note'), 'box:/tmp'], kr.env).stderr).toMatch(/^kit: no such container: box/);
});

test('kit cp both ways with a stopped container: its kept layer is mounted for the copy and unmounted after; kit start sees the copied file; symlinks still stay inside', () => {
  const host = mkdtempSync(join(kr.root, 'cpx-'));
  writeFileSync(join(host, 'secret'), 'host only\n');
  const setup = `mkdir -p /srv/d; echo written > /srv/d/f; ln -s ${host} /srv/abs; test -e /srv/in && cat /srv/in`;
  expect(kit(['run', '--name', 'stopped', 'base', 'sh', '-c', setup], kr.env).status).toBe(1); // exited: /srv/in is not there yet
  const mountsBefore = hostSnapshot(kr.root).mounts;
  expect(mountsBefore).toEqual([]);
  // out: what it wrote in its layer, and what its image has
  expect(kit(['cp', 'stopped:/srv/d/f', join(host, 'f')], kr.env).status).toBe(0);
  expect(readFileSync(join(host, 'f'), 'utf8')).toBe('written\n');
  expect(kit(['cp', 'stopped:/etc/passwd', join(host, 'passwd')], kr.env).status).toBe(0);
  expect(readFileSync(join(host, 'passwd'), 'utf8')).toMatch(/^root:/);
  const leak = kit(['cp', 'stopped:/srv/abs/secret', join(host, 'leaked')], kr.env);
  expect(leak.stderr.trim()).toMatch(/^kit: cannot open \/srv\/abs\/secret in the container: .*ENOENT/);
  expect(existsSync(join(host, 'leaked'))).toBe(false);
  // in: a file the next start of the container reads
  writeFileSync(join(host, 'in'), 'copied in while stopped\n');
  expect(kit(['cp', join(host, 'in'), 'stopped:/srv/in'], kr.env).status).toBe(0);
  expect(hostSnapshot(kr.root).mounts).toEqual([]); // the layer was unmounted after each copy
  expect(hostSnapshot(kr.root).containers).toEqual([]);
  expect(kit(['start', 'stopped'], kr.env).status).toBe(0);
  expect(kit(['wait', 'stopped'], kr.env).stdout).toBe('0\n');
  expect(kit(['logs', 'stopped'], kr.env).stdout).toBe('copied in while stopped\n');
  expect(kit(['diff', 'stopped'], kr.env).stdout).toContain('A /srv/in');
  expect(kit(['rm', 'stopped'], kr.env).status).toBe(0);
  expect(kit(['cp', 'stopped:/etc/passwd', host], kr.env).stderr).toMatch(/^kit: no such container: stopped/);
});
