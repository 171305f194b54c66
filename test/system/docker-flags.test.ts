import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { httpGet } from '../support/http';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { cleanKitRoot, eventually, expectRunRefused, hostSnapshot, kit } from '../support/kit';

/** kit run flags copied from Docker tutorials: -h, --env-file, --entrypoint, an absolute --workdir. */
const kr = cleanKitRoot(() => kit(['reset'], kr.env)); // what a failed test left
const BIN = join(__dirname, '..', '..', 'bin', 'run.js');

beforeAll(() => expect(kit(['image', 'ls'], kr.env).status).toBe(0)); // builds base once

test('-h sets the hostname; --env-file comes before -e; --entrypoint replaces the image\'s and drops its Cmd', () => {
  expect(kit(['run', '-h', 'box', 'base', 'hostname'], kr.env).stdout).toBe('box\n');
  const file = join(kr.root, 'app.env');
  writeFileSync(file, '# settings\nA=1\n\nB=two words\nC=from-file\n');
  expect(kit(['run', '--env-file', file, '-e', 'C=from-flag', 'base', 'sh', '-c', 'echo "$A|$B|$C"'], kr.env).stdout).toBe('1|two words|from-flag\n');
  expect(kit(['run', '--entrypoint', 'echo', 'base', 'hi', 'there'], kr.env).stdout).toBe('hi there\n');
  expect(kit(['run', '--entrypoint', 'pwd', 'base'], kr.env).stdout).toBe('/\n'); // the image's Cmd (sh) is dropped
});

test('a relative --workdir and a bad --env-file line are one line each, exit 125, nothing left', () => {
  const bad = join(kr.root, 'bad.env');
  writeFileSync(bad, 'GOOD=1\nnot a variable\n');
  const cases: Array<[string[], string]> = [
    [['-w', 'tmp'], "kit: --workdir 'tmp' is not an absolute path; give it from the container's /, e.g. -w /tmp"],
    [['--env-file', bad], `kit: --env-file ${bad}, line 2: 'not a variable' is not NAME=value; one variable per line, NAME=value`],
  ];
  for (const [args, line] of cases) {
    const r = kit(['run', ...args, 'base', 'true'], kr.env);
    expect(r.status).toBe(125);
    expect(r.stderr.trim()).toBe(line);
  }
  expect(hostSnapshot(kr.root).containers).toEqual([]);
});

test('a missing --env-file is kit\'s one line and exit 125 when kit is run as users run it (bin/run.js by its #! line), not node\'s exit 9', () => {
  const missing = join(kr.root, 'missing.env');
  const r = spawnSync(BIN, ['run', '--env-file', missing, 'base', 'true'], { env: { ...kr.env, PATH: `${dirname(process.execPath)}:${kr.env.PATH}` }, encoding: 'utf8' });
  expect(r.status).toBe(125);
  expect(r.stderr.trim()).toBe(`kit: cannot read --env-file ${missing} (ENOENT); give a readable file of NAME=value lines`);
  expect(hostSnapshot(kr.root).containers).toEqual([]);
});

test('--label is in inspect and matched by ps --filter label=; --stop-signal and --stop-timeout are what kit stop uses', async () => {
  const id = kit(['run', '-d', '--name', 'labelled', '--label', 'tier=web', '-l', 'solo', '--stop-signal', 'USR1', '--stop-timeout', '30', 'base', 'sh', '-c', 'trap "echo got usr1; exit 3" USR1; echo up; while true; do sleep 0.1; done'], kr.env).stdout.trim();
  expect(id).toMatch(/^[0-9a-f]{12}$/);
  const [inspected] = JSON.parse(kit(['inspect', 'labelled'], kr.env).stdout) as Array<{ Config: { Labels: Record<string, string>; StopSignal: string; StopTimeout: number } }>;
  expect(inspected.Config.Labels).toEqual({ tier: 'web', solo: '' });
  expect(inspected.Config.StopSignal).toBe('USR1');
  expect(inspected.Config.StopTimeout).toBe(30);
  const ps = (filter: string) => kit(['ps', '-aq', '--filter', filter], kr.env).stdout.trim();
  expect(ps('label=tier=web')).toBe(id);
  expect(ps('label=solo')).toBe(id);
  expect(ps('label=tier=db')).toBe('');
  expect(ps('label=other')).toBe('');
  await eventually(() => kit(['logs', 'labelled'], kr.env).stdout.includes('up'));
  const stats = kit(['stats', '--no-stream', 'labelled'], kr.env);
  expect(stats.status).toBe(0);
  expect(stats.stdout).toMatch(/^CONTAINER ID/);
  expect(stats.stdout).toContain('labelled');
  // SIGUSR1 (not SIGTERM) reaches the shell's trap: it exits 3, well before the 30 s grace.
  expect(kit(['stop', 'labelled'], kr.env).status).toBe(0);
  expect(kit(['inspect', '-f', '{{.State.ExitCode}}', 'labelled'], kr.env).stdout).toBe('3\n');
  expect(kit(['logs', 'labelled'], kr.env).stdout).toContain('got usr1');
  expect(kit(['rm', 'labelled'], kr.env).status).toBe(0);

  // --stop-timeout 1: a PID 1 that ignores SIGTERM (its trap notes when it came) is killed about 1 s later, not the default 10.
  expect(kit(['run', '-d', '--name', 'stubborn', '--stop-timeout', '1', 'base', 'sh', '-c', 'trap "date +%s" TERM; echo up; while true; do sleep 0.1; done'], kr.env).status).toBe(0);
  await eventually(() => kit(['logs', 'stubborn'], kr.env).stdout.includes('up'));
  expect(kit(['stop', 'stubborn'], kr.env).status).toBe(0);
  expect(kit(['inspect', '-f', '{{.State.ExitCode}}', 'stubborn'], kr.env).stdout).toBe('137\n');
  const termAt = Number(kit(['logs', 'stubborn'], kr.env).stdout.split('\n')[1]) * 1000;
  const finishedAt = Date.parse(kit(['inspect', '-f', '{{.State.FinishedAt}}', 'stubborn'], kr.env).stdout.trim());
  expect(finishedAt - termAt).toBeGreaterThan(0);
  expect(finishedAt - termAt).toBeLessThan(8000); // (the default grace would be 10 s or more)
  expect(kit(['rm', 'stubborn'], kr.env).status).toBe(0);
});

test('--add-host and --dns write /etc/hosts and /etc/resolv.conf; --read-only makes / read-only but not -v or --tmpfs', () => {
  const files = kit(['run', '--add-host', 'db:10.1.2.3', '--add-host', 'v6:fd00::5', '--dns', '9.9.9.9', 'base', 'cat', '/etc/hosts', '/etc/resolv.conf'], kr.env);
  expect(files.status).toBe(0);
  expect(files.stdout).toContain('10.1.2.3\tdb\n');
  expect(files.stdout).toContain('fd00::5\tv6\n');
  expect(files.stdout).toMatch(/^nameserver 9\.9\.9\.9$/m);
  expect(files.stdout.match(/^nameserver /gm)).toHaveLength(1);

  const data = mkdtempSync(join(kr.root, 'data-'));
  const ro = kit(['run', '--read-only', '-v', `${data}:/data`, '--tmpfs', '/scratch', 'base', 'sh', '-c', 'touch /etc/x 2>&1; echo "root: $?"; touch /data/y && echo data ok; touch /scratch/z && echo tmpfs ok'], kr.env);
  expect(ro.stdout).toMatch(/Read-only file system/);
  expect(ro.stdout).toContain('root: 1\ndata ok\ntmpfs ok\n');
  expect(existsSync(join(data, 'y'))).toBe(true);
  expect(kit(['run', 'base', 'sh', '-c', 'touch /etc/x && echo writable'], kr.env).stdout).toBe('writable\n'); // without it, as before
});

test('--network host: the container is named as the host, and -h renames only the container (its own UTS namespace), as Docker does', () => {
  expect(kit(['run', '--network', 'host', 'base', 'hostname'], kr.env).stdout).toBe(`${hostname()}\n`);
  const before = hostname();
  expect(kit(['run', '--network', 'host', '-h', 'box', 'base', 'sh', '-c', 'hostname; cat /etc/hostname'], kr.env)).toMatchObject({ status: 0, stdout: 'box\nbox\n' });
  expect(hostname()).toBe(before);
});

test('--network host: /etc/hosts and resolv.conf are copies of the host\'s, with --add-host and --dns applied, the host\'s files untouched (as Docker); container:NAME shares that container\'s, and its hostname', () => {
  const hostHosts = readFileSync('/etc/hosts', 'utf8');
  const hostResolv = readFileSync('/etc/resolv.conf', 'utf8');
  const plain = kit(['run', '--network', 'host', 'base', 'cat', '/etc/hosts', '/etc/hostname'], kr.env);
  expect(plain.stdout).toBe(`${hostHosts}${hostHosts.endsWith('\n') ? '' : '\n'}${hostname()}\n`);
  const added = kit(['run', '--network', 'host', '--add-host', 'db:10.1.2.3', '--dns', '9.9.9.9', 'base', 'cat', '/etc/hosts', '/etc/resolv.conf'], kr.env);
  expect(added.status).toBe(0);
  expect(added.stdout).toContain('10.1.2.3\tdb\n');
  expect(added.stdout).toMatch(/^nameserver 9\.9\.9\.9$/m);
  expect(added.stdout.match(/^nameserver /gm)).toHaveLength(1);
  expect(kit(['run', '--network', 'host', 'base', 'cat', '/etc/resolv.conf'], kr.env).stdout).toBe(hostResolv);
  expect(readFileSync('/etc/hosts', 'utf8')).toBe(hostHosts);
  expect(readFileSync('/etc/resolv.conf', 'utf8')).toBe(hostResolv);

  const web = `hostsweb${process.pid}`;
  expect(kit(['run', '-d', '--name', web, '--add-host', 'api:10.9.8.7', '--dns', '1.1.1.1', 'base', 'sleep', '60'], kr.env).status).toBe(0);
  const joined = kit(['run', '--network', `container:${web}`, 'base', 'cat', '/etc/hosts', '/etc/resolv.conf'], kr.env);
  expect(joined.status).toBe(0);
  expect(joined.stdout).toContain('10.9.8.7\tapi\n');
  expect(joined.stdout).toMatch(/^nameserver 1\.1\.1\.1$/m);
  // Docker's container:NAME takes that container's hostname too, and its /etc/hostname.
  const webName = kit(['exec', web, 'hostname'], kr.env).stdout;
  expect(webName).toMatch(/^[0-9a-f]{12}\n$/);
  expect(kit(['run', '--network', `container:${web}`, 'base', 'sh', '-c', 'hostname; cat /etc/hostname'], kr.env)).toMatchObject({ status: 0, stdout: `${webName}${webName}` });
  expect(kit(['rm', '-f', web], kr.env).status).toBe(0);
});

test('each new flag\'s bad value is one line naming it, exit 125, nothing left', () => {
  const cases: Array<[string[], RegExp]> = [
    [['--label', '=x'], /^kit: bad --label '=x'; use KEY=VALUE/],
    [['--stop-signal', 'NOPE'], /^kit: bad --stop-signal 'NOPE'; give a signal name/],
    [['--stop-timeout', 'soon'], /^kit: bad --stop-timeout 'soon'; give whole seconds/],
    [['--add-host', 'db'], /^kit: bad --add-host 'db'; use NAME:IP/],
    [['--add-host', 'db:999.1.1.1'], /^kit: bad --add-host 'db:999.1.1.1'; use NAME:IP/],
    [['--dns', 'resolver'], /^kit: bad --dns 'resolver': not an IP address/],
    [['--network', 'container:other', '--dns', '9.9.9.9'], /^kit: conflicting options: dns and the network mode; /],
    [['--network', 'container:other', '--add-host', 'db:10.0.0.1'], /^kit: conflicting options: custom host-to-IP mapping and the network mode; /],
    [['--network', 'container:other', '-h', 'box'], /^kit: conflicting options: hostname and the network mode; /],
  ];
  expectRefused(cases);
});

/** Each `kit run ARGS base true`: one line matching, exit 125, and no container left. */
function expectRefused(cases: Array<[string[], RegExp]>): void {
  expectRunRefused(kr, cases);
}


test('-P publishes the image\'s EXPOSE ports on free host ports; -p IP:HOST:CTR binds one address; -p ranges map port by port', async () => {
  const context = mkdtempSync(join(kr.root, 'ctx-'));
  writeFileSync(join(context, 'Kitfile'), 'FROM base\nEXPOSE 80\n');
  expect(kit(['build', '-t', 'exposed', context], kr.env).status).toBe(0);
  const base = 21000 + (process.pid % 5000) * 2;
  const serve = 'for p in 80 81 91; do httpd -p $p -h /etc; done; exec sleep 300';
  const run = kit(['run', '-d', '--name', 'pub', '-P', '-p', `127.0.0.1:${base}:81`, '-p', `${base + 1}-${base + 2}:90-91`, 'exposed', 'sh', '-c', serve], kr.env);
  expect(run.stderr).toBe('');
  const lines = kit(['port', 'pub'], kr.env).stdout.trim().split('\n').sort();
  expect(lines).toHaveLength(4);
  const random = Number(/^80\/tcp -> 0\.0\.0\.0:(\d+)$/m.exec(lines.join('\n'))?.[1]);
  expect(random).toBeGreaterThanOrEqual(1024);
  expect(lines).toContain(`81/tcp -> 127.0.0.1:${base}`);
  expect(lines).toContain(`90/tcp -> 0.0.0.0:${base + 1}`);
  expect(lines).toContain(`91/tcp -> 0.0.0.0:${base + 2}`);
  const id = kit(['ps', '-q', '--filter', 'name=pub'], kr.env).stdout.trim();
  await eventually(() => kit(['top', 'pub'], kr.env).stdout.includes('httpd'));
  // Each published port answers with the container's /etc/hostname (its id), through its own DNAT rule.
  for (const port of [random, base, base + 2]) expect((await httpGet(port, '/hostname')).trim()).toBe(id);
  const rules = spawnSync('iptables', ['-w', '-t', 'nat', '-S', 'KIT'], { encoding: 'utf8' }).stdout;
  expect(rules).toMatch(new RegExp(`-d 127\\.0\\.0\\.1/32 .*--dport ${base} .*kit:${id}`));
  expect(kit(['rm', '-f', 'pub'], kr.env).status).toBe(0);
  expect(spawnSync('iptables', ['-w', '-t', 'nat', '-S', 'KIT'], { encoding: 'utf8' }).stdout).not.toContain(`kit:${id}`);
  expect(kit(['image', 'rm', 'exposed'], kr.env).status).toBe(0);
});

test('bad -p values are one line naming them, exit 125', () => {
  const cases: Array<[string, RegExp]> = [
    ['8080-8082:80-81', /^kit: bad -p value '8080-8082:80-81': the host range has 3 ports and the container range 2/],
    ['300.1.1.1:80:80', /^kit: bad -p value '300\.1\.1\.1:80:80': 300\.1\.1\.1 is not an IPv4 address/],
    ['90-80:90-80', /^kit: bad port range 90-80 in -p 90-80:90-80/],
    ['70000:80', /^kit: port 70000 in -p 70000:80 is out of range/],
  ];
  for (const [value, line] of cases) {
    const r = kit(['run', '-p', value, 'base', 'true'], kr.env);
    expect(r.status).toBe(125);
    expect(r.stderr).toMatch(line);
  }
  expect(hostSnapshot(kr.root).containers).toEqual([]);
});

test('-u runs the command as a user of the image (no capabilities left); a passwd that is a link out of the image is not followed', () => {
  const nobody = kit(['run', '-u', 'nobody', 'base', 'sh', '-c', 'id; grep CapEff /proc/self/status'], kr.env);
  expect(nobody.stdout).toMatch(/^uid=65534\(nobody\) gid=65534/);
  expect(nobody.stdout).toMatch(/^CapEff:\s+0+$/m);
  expect(kit(['run', '-u', '1000:1001', 'base', 'id'], kr.env).stdout).toBe('uid=1000 gid=1001\n');
  expect(kit(['run', 'base', 'id', '-u'], kr.env).stdout).toBe('0\n'); // without -u, root as before

  // The image's /etc/passwd is a link climbing out of its root: resolved inside it, it names nothing, so user 'leak' is unknown.
  const secret = join(kr.root, 'host-passwd');
  writeFileSync(secret, 'leak:x:4242:4242::/:/bin/sh\n');
  const context = mkdtempSync(join(kr.root, 'ctx-'));
  writeFileSync(join(context, 'Kitfile'), `FROM base\nRUN ln -sf ../../../../../../../..${secret} /etc/passwd\n`);
  expect(kit(['build', '-t', 'linked-passwd', context], kr.env).status).toBe(0);
  const leak = kit(['run', '-u', 'leak', 'linked-passwd', 'id'], kr.env);
  expect(leak.status).toBe(125);
  expect(leak.stderr.trim()).toBe("kit: -u leak: no user 'leak' in the image's /etc/passwd; give a numeric uid (-u 1000), or add the user to the image");
  expect(kit(['image', 'rm', 'linked-passwd'], kr.env).status).toBe(0);
});

test('HOME is the home of the command\'s user in the image\'s /etc/passwd, / when it has none, unless -e sets it (as Docker)', () => {
  const home = (args: string[]) => kit(['run', ...args, 'base', 'sh', '-c', 'echo "$HOME"'], kr.env).stdout;
  expect(home([])).toBe('/root\n');
  expect(home(['-u', 'nobody'])).toBe('/nonexistent\n');
  expect(home(['-u', '65534:0'])).toBe('/nonexistent\n');
  expect(home(['-u', '4242'])).toBe('/\n');
  expect(home(['-u', 'nobody', '-e', 'HOME=/data'])).toBe('/data\n');
});

test('kit exec as docker exec: the container\'s user, environment and working directory by default; -u (its HOME, no capabilities), -e, --env-file and -w its own; a bad one is one line', () => {
  const name = `execflags${process.pid}`;
  expect(kit(['run', '-d', '--name', name, '-u', 'nobody', '-w', '/tmp', '-e', 'FOO=bar', 'base', 'sleep', '120'], kr.env).status).toBe(0);
  const show = 'pwd; echo "$FOO|$NEW|$HOME"; id -u; grep CapEff /proc/self/status';
  const same = kit(['exec', name, 'sh', '-c', show], kr.env);
  expect(same.stdout).toMatch(/^\/tmp\nbar\|\|\/nonexistent\n65534\nCapEff:\s+0+\n$/);
  const envFile = join(kr.root, 'exec.env');
  writeFileSync(envFile, '# exec\nNEW=from-file\nFOO=file\n');
  const own = kit(['exec', '-u', 'root', '--env-file', envFile, '-e', 'FOO=baz', '-w', '/etc', name, 'sh', '-c', show], kr.env);
  expect(own.status).toBe(0);
  expect(own.stdout).toMatch(/^\/etc\nbaz\|from-file\|\/root\n0\nCapEff:\s+0*a80425fb\n$/); // root, with Docker's default capability set
  expect(kit(['exec', '-u', 'nosuch', name, 'true'], kr.env)).toMatchObject({ status: 1, stderr: "kit: -u nosuch: no user 'nosuch' in the container's /etc/passwd; give a numeric uid (-u 1000), or add the user to the image\n" });
  expect(kit(['exec', '-w', 'tmp', name, 'true'], kr.env).stderr).toMatch(/^kit: --workdir 'tmp' is not an absolute path; /);
  // The container's /etc/passwd made a link to a host file with user 'leak': resolved inside the container, it names nothing.
  const hostEtc = mkdtempSync(join(kr.root, 'host-etc-'));
  writeFileSync(join(hostEtc, 'passwd'), 'leak:x:4242:4242::/leak:/bin/sh\n');
  expect(kit(['exec', '-u', 'root', name, 'sh', '-c', `ln -sf ${hostEtc}/passwd /etc/passwd`], kr.env).status).toBe(0);
  expect(kit(['exec', '-u', 'leak', name, 'true'], kr.env)).toMatchObject({ status: 1, stderr: expect.stringContaining("no user 'leak' in the container's /etc/passwd") });
  expect(kit(['rm', '-f', name], kr.env).status).toBe(0);
});

test('--ulimit is set by kit-init before the exec; --init makes kit-init PID 1, reaping orphans and passing kit stop\'s SIGTERM on', async () => {
  expect(kit(['run', '--ulimit', 'nofile=100:200', 'base', 'sh', '-c', 'ulimit -n; ulimit -Hn'], kr.env).stdout).toBe('100\n200\n');
  const traced = kit(['run', '--trace', '--ulimit', 'core=0', 'base', 'true'], kr.env);
  expect(traced.stderr).toMatch(/setrlimit\(RLIMIT_CORE, \{rlim_cur=0, rlim_max=0\}\)/);

  // An orphan (the inner sh's sleep) is reparented to PID 1, which reaps it: no zombie is left.
  const init = kit(['run', '--init', 'base', 'sh', '-c', 'sh -c "sleep 0.2 &"; sleep 1; ps -o pid,stat,comm'], kr.env);
  expect(init.stdout).toMatch(/^\s*1\s+\S+\s+kit-init$/m);
  expect(init.stdout).not.toMatch(/\sZ\S*\s/);
  expect(kit(['run', '--init', 'base', 'sh', '-c', 'exit 7'], kr.env).status).toBe(7);
  // A PID 1 `sleep` ignores SIGTERM (kit stop then waits and kills: 137); under --init sleep is PID 2 and the TERM ends it (143).
  expect(kit(['run', '-d', '--name', 'inited', '--init', 'base', 'sleep', '60'], kr.env).status).toBe(0);
  expect(kit(['stop', 'inited'], kr.env).status).toBe(0);
  expect(kit(['inspect', '-f', '{{.State.ExitCode}}', 'inited'], kr.env).stdout).toBe('143\n');
  expect(kit(['rm', 'inited'], kr.env).status).toBe(0);
});

test('bad -u and --ulimit values are one line naming them, exit 125, nothing left', () => {
  const cases: Array<[string[], RegExp]> = [
    [['-u', 'no body'], /^kit: bad -u value 'no body'; use UID\[:GID\] or NAME\[:GROUP\]/],
    [['-u', 'ghost'], /^kit: -u ghost: no user 'ghost' in the image's \/etc\/passwd/],
    [['-u', 'nobody:ghosts'], /^kit: -u nobody:ghosts: no group 'ghosts' in the image's \/etc\/group/],
    [['--ulimit', 'nofile=300:200'], /^kit: bad --ulimit 'nofile=300:200': the soft limit is above the hard one/],
    [['--ulimit', 'files=1'], /^kit: bad --ulimit 'files=1'; use NAME=SOFT\[:HARD\]/],
  ];
  expectRefused(cases);
});
