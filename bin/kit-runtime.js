#!/usr/bin/env node
// kit-runtime: kit as an OCI runtime, with runc's command line (first step:
// `run` in the foreground, `spec`, `--version`). The engine is kit's own
// (core/oci turns the bundle's config.json into a ContainerSpec), so a
// container run this way is planned, traced and undone as any `kit run`.
'use strict';

const { appendFileSync } = require('node:fs');

const USAGE = 'usage: kit-runtime [--root DIR] [--log FILE] [--log-format text|json] run [--bundle DIR] ID | spec [--bundle DIR] | --version';
const NOT_YET = ['create', 'start', 'state', 'kill', 'delete', 'exec', 'ps', 'pause', 'resume', 'features', 'list', 'update', 'checkpoint', 'restore', 'events'];

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
    else if (flag === '--help' || flag === '-h') return void process.stdout.write(`${USAGE}\n`);
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
  const { OCI_VERSION } = require('../dist/core');
  process.stdout.write(`kit-runtime version ${version}\nspec: ${OCI_VERSION}\n`);
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
  const core = require('../dist/core');
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
  require('../dist/core').writeDefaultConfig(dir);
}

/** Errors go to stderr and, with --log, to that file as runc writes them (containerd and podman read it). */
function report(global, err) {
  const line = err.hint ? `${err.message}; ${err.hint}` : err.message;
  process.stderr.write(`kit-runtime: ${line}\n`);
  if (!global?.log) return;
  const entry = global.logFormat === 'json' ? JSON.stringify({ level: 'error', msg: line, time: new Date().toISOString() }) : `time="${new Date().toISOString()}" level=error msg="${line.replace(/"/g, '\\"')}"`;
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
    if (NOT_YET.includes(verb)) throw new UsageError(`"${verb}" is not implemented by kit-runtime yet`, 'only run, spec and --version are (kit-runtime is a first step)');
    usage(verb ? `unknown command "${verb}"` : 'a command is missing');
  } catch (err) {
    if (!(err instanceof UsageError) && err?.name !== 'KitError' && err?.name !== 'SyscallError') throw err;
    report(parsed?.global ?? globalFromArgv(process.argv.slice(2)), err);
    return typeof err.exitCode === 'number' && err.name === 'SyscallError' ? err.exitCode : 1;
  }
}

/** When the global flags themselves were wrong, still log to --log if it was given. */
function globalFromArgv(argv) {
  const at = argv.indexOf('--log');
  const format = argv.indexOf('--log-format');
  return { log: at >= 0 ? argv[at + 1] : undefined, logFormat: format >= 0 ? argv[format + 1] : 'text' };
}

dispatch().then((code) => {
  process.exitCode = code ?? 0;
});
