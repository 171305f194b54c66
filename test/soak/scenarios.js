// The soak's repertoire: each scenario is a few kit commands and what a user
// should see from them. Flags and verbs are only used when this build of kit
// has them (`can`), so the soak grows with kit.
'use strict';

/**
 * Random flags for one `kit run`, and what they need. Ports come from a
 * counter (two runs at once never ask for the same one).
 */
function runFlags(rng, can, nextPort) {
  const flags = [];
  const add = (flag, ...values) => { if (can.has(flag)) flags.push(flag, ...values); };
  const network = rng.pick(['bridge', 'bridge', 'none', 'host']);
  if (network !== 'bridge' || rng.chance(0.3)) add('--network', network);
  if (network === 'bridge' && rng.chance(0.4)) add('-p', `${nextPort()}:80${rng.chance(0.2) ? '/udp' : ''}`);
  if (rng.chance(0.3)) add('--cpu-quota', '50000');
  else if (rng.chance(0.2)) add('--cpus', '0.5');
  if (rng.chance(0.3)) add('--memory', rng.pick(['64m', '128m']));
  if (rng.chance(0.3)) add('--pids-limit', '64');
  if (rng.chance(0.15)) add('--cpu-shares', '512');
  if (rng.chance(0.15)) add('--cpuset-cpus', '0');
  if (rng.chance(0.3)) add('--storage-driver', rng.pick(['overlay2', 'vfs']));
  if (rng.chance(0.2)) add('--cap-drop', 'ALL');
  if (rng.chance(0.15)) add('--cap-add', 'NET_ADMIN');
  if (rng.chance(0.15)) add('--security-opt', rng.pick(['no-new-privileges', 'seccomp=unconfined']));
  if (rng.chance(0.1)) add('--privileged');
  if (rng.chance(0.15)) add('--read-only');
  if (rng.chance(0.2)) add('-e', 'SOAK=1');
  if (rng.chance(0.2)) add('-w', '/tmp');
  if (rng.chance(0.2)) add('--hostname', 'soakhost');
  return flags;
}

/** Inputs a user could get wrong, each of which must be one clear line and a non-zero exit. */
function badInputs(can) {
  const bad = [
    ['run', '--cpu-quota', 'abc', 'base', 'true'],
    ['run', '-p', '99999:80', 'base', 'true'],
    ['run', '-p', 'eighty:80', 'base', 'true'],
    ['run', '--memory', '12q', 'base', 'true'],
    ['run', '--network', 'bogus', 'base', 'true'],
    ['run', '--network', 'container:soak-nobody', 'base', 'true'],
    ['run', 'soak-no-such-image', 'true'],
    ['run', '--storage-driver', 'zfs-or-not', 'base', 'true'],
    ['chapter', 'soak-no-such-chapter'],
    ['image', 'import', '/nonexistent/soak.tar'],
    ['logs', 'soak-no-such-container'],
    ['stop', 'soak-no-such-container'],
    ['exec', 'soak-no-such-container', 'true'],
  ];
  if (can.has('--cap-add')) bad.push(['run', '--cap-add', 'CAP_SOAK_NOPE', 'base', 'true']);
  if (can.has('--security-opt')) bad.push(['run', '--security-opt', 'soak=nope', 'base', 'true'], ['run', '--security-opt', 'seccomp=/nonexistent/soak.json', 'base', 'true']);
  if (can.has('--userns')) bad.push(['run', '--userns', 'soak-nope', 'base', 'true']);
  if (can.has('--ulimit')) bad.push(['run', '--ulimit', 'nofile=abc', 'base', 'true']);
  return bad;
}

function scenarios(rng, can, prefix) {
  let port = 20000 + rng.int(0, 20000);
  const nextPort = () => port++;
  const names = [];
  const nameOne = () => { const name = `${prefix}-${names.length}`; names.push(name); return name; };
  const bad = badInputs(can);

  const kinds = [
    [5, () => {
      const flags = runFlags(rng, can, nextPort);
      return { name: `run ${flags.join(' ')}`, steps: [{ args: ['run', ...flags, 'base', 'sh', '-c', 'echo soak-ok'], expect: 0, stdout: /soak-ok/ }] };
    }],
    [1, () => {
      const code = rng.int(0, 9);
      return { name: `exit code ${code}`, steps: [{ args: ['run', '--network', 'none', 'base', 'sh', '-c', `exit ${code}`], expect: code }] };
    }],
    [1, () => ({ name: 'command not found', steps: [{ args: ['run', '--network', 'none', 'base', '/soak/not/here'], expect: 127 }] })],
    [2, () => {
      const chapter = rng.pick(can.chapters);
      return { name: `chapter ${chapter}`, steps: [{ args: ['chapter', chapter, '--no-trace'], expect: 0, timeoutMs: 120_000 }] };
    }],
    [2, () => {
      const name = nameOne();
      const flags = runFlags(rng, can, nextPort);
      const steps = [{ args: ['run', '-d', '--name', name, ...flags, 'base', 'sleep', '30'], expect: 0 }];
      const action = rng.pick(['stop', 'rm', 'exec', 'logs', 'ps']);
      if (action === 'stop') steps.push({ args: ['stop', name], expect: 0 }, { args: ['rm', name], expect: 0 });
      else if (action === 'rm') steps.push({ args: ['rm', '-f', name], expect: 0 });
      else if (action === 'exec') steps.push({ args: ['exec', name, 'sh', '-c', 'echo soak-ok'], expect: 0, stdout: /soak-ok/ });
      else steps.push({ args: [action, ...(action === 'logs' ? [name] : [])], expect: 0 });
      return { name: `detached ${flags.join(' ')} then ${action}`, steps };
    }],
    [1, () => {
      const name = nameOne();
      return { name: 'detached that exits by itself', steps: [{ args: ['run', '-d', '--name', name, '--network', 'none', 'base', 'sh', '-c', 'echo bye'], expect: 0 }] };
    }],
    [2, () => {
      const killAfter = rng.int(30, 2500);
      const detached = rng.chance(0.3);
      const flags = runFlags(rng, can, nextPort);
      const args = rng.chance(0.25) && can.chapters.length
        ? ['chapter', rng.pick(can.chapters), '--no-trace']
        : ['run', ...(detached ? ['-d', '--name', nameOne()] : []), ...flags, 'base', 'sleep', '5'];
      return { name: `kill -9 of kit after ${killAfter} ms: ${args.join(' ')}`, steps: [{ args, killAfter }, { args: ['ps'], expect: 0 }] };
    }],
    [2, () => {
      const args = rng.pick(bad);
      return { name: `bad input: ${args.join(' ')}`, steps: [{ args, bad: true }] };
    }],
  ];
  const total = kinds.reduce((sum, [w]) => sum + w, 0);
  const make = () => {
    let x = rng.next() * total;
    for (const [w, build] of kinds) {
      if ((x -= w) < 0) return withDefaults(build());
    }
    return withDefaults(kinds[0][1]());
  };
  make.names = names;
  return make;
}

function withDefaults(scenario) {
  for (const step of scenario.steps) step.timeoutMs ??= 90_000;
  return scenario;
}

module.exports = { scenarios };
