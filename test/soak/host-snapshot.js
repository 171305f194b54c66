// What the soak compares before and after: everything kit could leave on the
// host. Each view is a set of lines; kit's own objects are recognised by their
// `kit` prefix (kit0, kitv* veths, the KIT chain, `kit` rule comments, kit/
// cgroup dirs) or by living under the soak's own KIT_ROOT.
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, readFileSync, readlinkSync } = require('node:fs');
const { join } = require('node:path');

function lines(argv) {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n').filter(Boolean) : [];
}

/** Mount points: every one under the soak's root, every overlay, every kit path. */
function mounts(root) {
  return readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter(Boolean)
    .map((l) => { const f = l.split(' '); const sep = f.indexOf('-'); return `${f[4]} (${f[sep + 1]})`; })
    .filter((m) => m.startsWith(root) || m.includes('kit') || m.endsWith('(overlay)'));
}

const links = () => lines(['ip', '-o', 'link', 'show']).map((l) => l.split(': ')[1].split('@')[0]);
const netns = () => lines(['ip', 'netns', 'list']).map((l) => l.split(' ')[0]);

/** Every iptables rule of every table (kit's and not: a soak must not touch the others either). */
function rules() {
  return lines(['iptables-save']).filter((l) => !l.startsWith('#')).map((l) => l.replace(/ \[\d+:\d+\]$/, ''));
}

/** kit's cgroup directories, v1 and v2, down to the per-container level. */
function cgroups() {
  const found = [];
  const walk = (dir, depth) => {
    let entries;
    try { entries = readdirSync(dir, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      if (!e.isDirectory()) continue;
      const path = join(dir, e.name);
      if (e.name.startsWith('kit') || path.includes('/kit/')) found.push(path);
      if (depth < 4 && (e.name.startsWith('kit') || depth < 2)) walk(path, depth + 1);
    }
  };
  walk('/sys/fs/cgroup', 0);
  return found;
}

/** Processes started with the soak's KIT_ROOT (containers, shims, kit itself). */
function processes(root) {
  const found = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (!readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`KIT_ROOT=${root}`)) continue;
      found.push(`${readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').join(' ').trim()} (cwd ${readlinkSync(`/proc/${pid}/cwd`)})`);
    } catch { /* it ended while we looked */ }
  }
  return found;
}

/** What the soak root holds of containers: state dirs, names, kept layers, half-done imports. */
function files(root) {
  const found = [];
  const list = (dir) => { try { return readdirSync(dir).map((name) => join(dir, name)); } catch { return []; } };
  for (const dir of list(join(root, 'run'))) found.push(...(existsSync(dir) && list(dir).length ? list(dir) : []));
  for (const dir of ['containers', 'tmp']) found.push(...list(join(root, 'data', dir)));
  return found;
}

function snapshot(root) {
  return { mounts: mounts(root), links: links(), netns: netns(), rules: rules(), cgroups: cgroups(), processes: processes(root), files: files(root) };
}

/**
 * What `after` holds that `before` did not, and what it lost. Losing one of
 * kit's own shared objects (kit0, the KIT chain) is what prune/reset does;
 * losing anything else is damage.
 */
function difference(before, after) {
  const out = [];
  for (const view of Object.keys(before)) {
    const was = new Set(before[view]);
    const is = new Set(after[view]);
    for (const x of is) if (!was.has(x)) out.push(`${view}: + ${x}`);
    for (const x of was) if (!is.has(x) && !/kit/i.test(x)) out.push(`${view}: - ${x}`);
  }
  return out;
}

module.exports = { snapshot, difference };
