// kit-runtime: kit as an OCI runtime, with runc's command line, so podman
// (through conmon) and containerd's shim can drive it: create, start, state,
// kill, delete, list, features, ps, pause, resume, plus run and spec. The
// engine is kit's own (core/oci turns the bundle's config.json into a
// ContainerSpec), so a container made this way is planned, traced and undone
// as any `kit run`. bin/kit-runtime.js loads this file bundled (dist/kit-runtime.js,
// built by bin/bundle.js with core/runtime.ts, which loads each verb's modules
// on its first call): podman calls the runtime several times per container.
//
// Nothing here touches process.stdout or process.stderr before the container
// is cloned: Node would set O_NONBLOCK on the caller's pipes, which the
// container shares. Output is written with writeSync on fds 1 and 2.
'use strict';

const { appendFileSync, writeSync } = require('node:fs');

const USAGE = 'usage: kit-runtime [--root DIR] [--log FILE] [--log-format text|json] COMMAND\n' +
  '  create [--bundle DIR] [--pid-file F] [--console-socket S] ID | start ID | state ID | kill [--all] ID [SIG]\n' +
  '  delete [--force] ID | list [--format table|json] [--quiet] | ps [--format table|json] ID | pause ID | resume ID\n' +
  '  exec --process FILE [--detach] [--pid-file F] [--console-socket S] ID\n' +
  '  update [--resources FILE|-] [--memory N] [--memory-swap N] [--memory-reservation N] [--cpu-quota N] [--cpu-period N] [--cpu-share N] [--cpuset-cpus L] [--pids-limit N] [--blkio-weight N] ID\n' +
  '  events [--stats] [--interval 5s] ID\n' +
  '  features | run [--bundle DIR] ID | spec [--bundle DIR] | --version';
const NOT_YET = ['checkpoint', 'restore'];
/** Where runc keeps its state is /run/runc; kit-runtime's, when no --root is given. */
const DEFAULT_ROOT = '/run/kit-runtime';

const out = (text) => writeSync(1, text);

/** A mistake in how kit-runtime was called: one line, exit 1, like a KitError. */
class UsageError extends Error {
  constructor(message, hint) {
    super(message);
    this.hint = hint;
  }
}

function main(argv) {
  const global = { logFormat: 'text' };
  let i = 0;
  for (; i < argv.length && argv[i].startsWith('-'); i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s);
    const value = () => inline ?? argv[++i] ?? usage(`${flag} needs a value`);
    if (flag === '--root') global.root = value();
    else if (flag === '--log') global.log = value();
    else if (flag === '--log-format') global.logFormat = value();
    else if (flag === '--debug') continue;
    else if (flag === '--systemd-cgroup') throw new UsageError('--systemd-cgroup is not supported by kit-runtime', 'use the cgroupfs manager (podman: --cgroup-manager cgroupfs)');
    else if (flag === '--version' || flag === '-v') return version();
    else if (flag === '--rootless') value();
    else if (flag === '--help' || flag === '-h') return void out(`${USAGE}\n`);
    else usage(`unknown global flag ${flag}`);
  }
  if (!['text', 'json'].includes(global.logFormat)) usage(`--log-format ${global.logFormat}: must be text or json`);
  const [verb, ...rest] = argv.slice(i);
  return { global, verb, rest };
}

function usage(message) {
  throw new UsageError(message, USAGE);
}

function version() {
  const { version } = require('../package.json');
  const { OCI_VERSION } = require('../dist/core/runtime');
  out(`kit-runtime version ${version}\nspec: ${OCI_VERSION}\n`);
}

/** `run [--bundle|-b DIR] ID`: flags of runc's run that change nothing kit does are refused, not ignored. */
function parseRun(args) {
  let bundle = '.';
  let id;
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split(/=(.*)/s);
    if (flag === '--bundle' || flag === '-b') bundle = inline ?? args[++i] ?? usage('--bundle needs a directory');
    else if (flag.startsWith('-')) usage(`run: ${flag} is not supported by kit-runtime yet`);
    else if (id === undefined) id = args[i];
    else usage(`run: one container id, not "${args[i]}" as well`);
  }
  if (!id) usage('run: the container id is missing');
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/.test(id)) usage(`run: "${id}" is not a valid container id (letters, digits, _ . -)`);
  return { bundle, id };
}

async function run(global, args) {
  const { bundle, id } = parseRun(args);
  const core = require('../dist/core/runtime');
  const spec = { ...core.bundleSpec(bundle), name: id };
  const paths = core.kitPaths(global.root ? { ...process.env, KIT_ROOT: global.root } : process.env);
  const result = await core.runContainer(spec, { paths, stdio: 'inherit' });
  const failed = core.startFailure(result);
  if (failed) throw failed;
  return core.shellStatus(result);
}

function spec(args) {
  let dir = '.';
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split(/=(.*)/s);
    if (flag === '--bundle' || flag === '-b') dir = inline ?? args[++i] ?? usage('--bundle needs a directory');
    else usage(`spec: ${flag} is not supported by kit-runtime yet`);
  }
  require('../dist/core/runtime').writeDefaultConfig(dir);
}

/**
 * A verb's flags and operands, as runc takes them: `flags` maps each flag
 * (and its aliases) to 'value' or 'bool'; anything else starting with - is
 * refused by name.
 */
function parseVerb(verb, args, flags, operands) {
  const result = { _: [] };
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split(/=(.*)/s);
    if (!flag.startsWith('-') || flag === '-') {
      result._.push(args[i]);
      continue;
    }
    const known = Object.entries(flags).find(([names]) => names.split('|').includes(flag));
    if (!known) usage(`${verb}: ${flag} is not supported by kit-runtime`);
    const name = known[0].split('|')[0].replace(/^-+/, '');
    result[name] = known[1] === 'bool' ? inline !== 'false' : inline ?? args[++i] ?? usage(`${verb}: ${flag} needs a value`);
  }
  if (result._.length < operands[0]) usage(`${verb}: ${operands[0] === 1 ? 'the container id is missing' : 'an operand is missing'}`);
  if (result._.length > operands[1]) usage(`${verb}: unexpected "${result._[operands[1]]}"`);
  return result;
}

function paths(global) {
  const core = require('../dist/core/runtime');
  return core.kitPaths({ ...process.env, KIT_ROOT: global.root ?? DEFAULT_ROOT });
}

const json = (value) => out(JSON.stringify(value) + '\n');

async function create(global, args) {
  const a = parseVerb('create', args, { '--bundle|-b': 'value', '--pid-file': 'value', '--console-socket': 'value', '--no-pivot': 'bool', '--no-new-keyring': 'bool', '--preserve-fds': 'value' }, [1, 1]);
  if (a['no-pivot']) usage('create: --no-pivot is not supported: kit-runtime always uses pivot_root');
  if (a['preserve-fds'] !== undefined && a['preserve-fds'] !== '0') usage('create: --preserve-fds is not supported by kit-runtime yet');
  await require('../dist/core/runtime').ociCreate({ paths: paths(global), bundle: a.bundle ?? '.', id: a._[0], pidFile: a['pid-file'], consoleSocket: a['console-socket'] });
  return 0;
}

async function verb_(global, name, args) {
  const core = require('../dist/core/runtime');
  const p = paths(global);
  switch (name) {
    case 'create':
      return create(global, args);
    case 'start':
      return await core.ociStart(p, parseVerb(name, args, {}, [1, 1])._[0]), 0;
    case 'state':
      return json(core.ociState(p, parseVerb(name, args, {}, [1, 1])._[0])), 0;
    case 'kill': {
      const a = parseVerb(name, args, { '--all|-a': 'bool' }, [1, 2]);
      return core.ociKill(p, a._[0], a._[1], a.all), 0;
    }
    case 'delete': {
      const a = parseVerb(name, args, { '--force|-f': 'bool' }, [1, 1]);
      // As runc: --force on an id it does not know (a create that failed half-way) is not an error.
      if (a.force && !core.ociExists(p, a._[0])) return 0;
      await core.ociDelete(p, a._[0], a.force === true, (line) => report(global, { message: line }, 'warning'));
      return 0;
    }
    case 'exec': {
      const a = parseVerb(name, args, { '--process|-p': 'value', '--detach|-d': 'bool', '--pid-file': 'value', '--console-socket': 'value', '--tty|-t': 'bool', '--preserve-fds': 'value' }, [1, 1]);
      if (a.process === undefined) usage('exec: kit-runtime needs --process FILE (the process as config.json has it), not a command line');
      if (a['preserve-fds'] !== undefined && a['preserve-fds'] !== '0') usage('exec: --preserve-fds is not supported by kit-runtime yet');
      return core.ociExec({ paths: p, id: a._[0], processFile: a.process, detach: a.detach === true, pidFile: a['pid-file'], consoleSocket: a['console-socket'] });
    }
    case 'list': {
      const a = parseVerb(name, args, { '--format|-f': 'value', '--quiet|-q': 'bool' }, [0, 0]);
      const states = core.ociStates(p);
      if (a.quiet) return out(states.map((s) => s.id + '\n').join('')), 0;
      if (a.format === 'json') return json(states), 0;
      if (a.format !== undefined && a.format !== 'table') usage(`list: --format ${a.format}: must be table or json`);
      const rows = [['ID', 'PID', 'STATUS', 'BUNDLE', 'CREATED', 'OWNER'], ...states.map((s) => [s.id, String(s.pid), s.status, s.bundle, s.created, 'root'])];
      const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
      return out(rows.map((r) => r.map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i] + 3) : c)).join('') + '\n').join('')), 0;
    }
    case 'ps': {
      const a = parseVerb(name, args, { '--format|-f': 'value' }, [1, 1]);
      const pids = core.ociProcesses(p, a._[0]);
      if (a.format === 'json') return json(pids), 0;
      const r = require('node:child_process').spawnSync('ps', ['-o', 'uid,pid,ppid,c,stime,tty,time,cmd', '-p', pids.join(',') || '0'], { encoding: 'utf8' });
      return out(r.stdout), 0;
    }
    case 'pause':
    case 'resume':
      return core.ociPause(p, parseVerb(name, args, {}, [1, 1])._[0], name === 'pause'), 0;
    case 'update': {
      const flags = { '--resources|-r': 'value', '--memory': 'value', '--memory-swap': 'value', '--memory-reservation': 'value', '--cpu-quota': 'value', '--cpu-period': 'value', '--cpu-share': 'value', '--cpuset-cpus': 'value', '--pids-limit': 'value', '--blkio-weight': 'value' };
      const a = parseVerb(name, args, flags, [1, 1]);
      const given = Object.keys(a).filter((k) => k !== '_' && k !== 'resources');
      if (a.resources !== undefined && given.length) usage(`update: --resources and --${given[0]} both set limits; give one or the other`);
      return core.ociUpdate(p, a._[0], a.resources !== undefined ? core.ociReadResources(a.resources) : core.ociResourcesFromFlags(a)), 0;
    }
    case 'events': {
      const a = parseVerb(name, args, { '--stats': 'bool', '--interval': 'value' }, [1, 1]);
      const intervalMs = a.interval === undefined ? 5000 : duration(a.interval);
      return await core.ociEvents(p, a._[0], { stats: a.stats === true, intervalMs }, json), 0;
    }
    case 'features':
      parseVerb(name, args, {}, [0, 0]);
      return out(JSON.stringify(core.ociFeatures(), null, 2) + '\n'), 0;
    default:
      return undefined;
  }
}

/** A Go duration as runc's --interval takes it: 5s, 250ms, 1m, 1.5s (at least 1ms). */
function duration(text) {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text);
  const ms = match && Number(match[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2]];
  if (!ms || ms < 1 || ms > 86_400_000) usage(`events: --interval ${text}: give a duration like 5s, 250ms or 1m (1ms to 24h)`);
  return ms;
}

/** Errors go to stderr and, with --log, to that file as runc writes them (containerd and podman read it). */
function report(global, err, level = 'error') {
  const line = err.hint ? `${err.message}; ${err.hint}` : err.message;
  writeSync(2, `kit-runtime: ${level === 'error' ? '' : `${level}: `}${line}\n`);
  if (!global?.log) return;
  const entry = global.logFormat === 'json' ? JSON.stringify({ level, msg: line, time: new Date().toISOString() }) : `time="${new Date().toISOString()}" level=${level} msg="${line.replace(/"/g, '\\"')}"`;
  try {
    appendFileSync(global.log, entry + '\n');
  } catch {
    // the log is the caller's; stderr already has the line
  }
}

async function dispatch() {
  let parsed;
  try {
    parsed = main(process.argv.slice(2));
    if (!parsed) return 0;
    const { global, verb, rest } = parsed;
    if (verb === 'run') return await run(global, rest);
    if (verb === 'spec') return spec(rest), 0;
    const code = await verb_(global, verb, rest);
    if (code !== undefined) return code;
    if (NOT_YET.includes(verb)) throw new UsageError(`"${verb}" is not implemented by kit-runtime yet`, 'see `kit-runtime --help` for what is');
    usage(verb ? `unknown command "${verb}"` : 'a command is missing');
  } catch (err) {
    if (!(err instanceof UsageError) && err?.name !== 'KitError' && err?.name !== 'SyscallError') throw err;
    report(parsed?.global ?? globalFromArgv(process.argv.slice(2)), err);
    return typeof err.exitCode === 'number' && err.exitCode !== 1 ? err.exitCode : 1;
  }
}

/** When the global flags themselves were wrong, still log to --log if it was given. */
function globalFromArgv(argv) {
  const at = argv.indexOf('--log');
  const format = argv.indexOf('--log-format');
  return { log: at >= 0 ? argv[at + 1] : undefined, logFormat: format >= 0 ? argv[format + 1] : 'text' };
}

/** Runs kit-runtime with these arguments (process.argv.slice(2)); sets the exit code. */
exports.main = () =>
  dispatch().then((code) => {
    process.exitCode = code ?? 0;
  });
