import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CLONE, DEFAULT_PATH, interruptAll, joinParts, kitPaths, newContainerId, runContainer, type PlanPart, type TraceEvent } from '../core';
import { findLab } from './catalog';
import type { Given, Lab, Observation } from './lab';
import { readProc, sleep } from './observe';
import { unsafeSteps } from './safety';
import { isRoot, viaUserNamespace } from './rootless';

/**
 * The child process `kit lab check` starts: loads the student's lab.ts
 * with tsx, runs a container with their plan part through kit's engine
 * (journaled, traced), looks at it from the host while it runs, and writes
 * what it saw to a file. A child, so a time limit or Ctrl-C can stop the
 * student's code without stopping the checker; whatever it journaled is
 * undone by it, or by the checker when it was killed.
 */
export interface RunnerResult {
  id: string;
  given: Given;
  seen: Observation;
  trace: TraceEvent[];
  error?: string;
  /** How far it got: the student's file loaded, its plan passed the safety check, the run happened. */
  stage: 'load' | 'refused' | 'run';
  stdout: string;
  stderr: string;
}

type StudentLab = (given: Given) => PlanPart;

/**
 * `import ... from 'kit'` in the student's code means this kit's public API
 * (core/index.ts, built), wherever their file is.
 */
function resolveKitToItself(): void {
  const Module = require('node:module') as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const original = Module._resolveFilename;
  const core = join(__dirname, '..', 'core', 'index.js');
  Module._resolveFilename = (request, ...rest) => original(request === 'kit' ? core : request, ...rest);
}

function loadStudent(file: string): StudentLab {
  resolveKitToItself();
  // tsx runs the student's TypeScript as it is: no build step.
  const tsx = require('tsx/cjs/api') as { require: (id: string, from: string) => unknown };
  const mod = tsx.require(file, __filename) as { default?: unknown };
  const lab = typeof mod.default === 'function' ? mod.default : mod;
  if (typeof lab !== 'function') throw new Error(`${file} must \`export default function lab(given) { return { ... } }\``);
  return lab as StudentLab;
}

/** Wait until the container's command runs (kit-init has exec'd it) or it has died trying. */
async function commandStarted(pid: number): Promise<boolean> {
  for (let i = 0; i < 200; i++) {
    const stat = readProc(pid, 'stat');
    if (!stat || stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z') return false;
    const cmdline = readProc(pid, 'cmdline') ?? '';
    if (cmdline !== '' && !cmdline.startsWith('kit-init')) return true;
    await sleep(25);
  }
  return false;
}

/**
 * Without root and without a user namespace (the host lab; the user lab
 * before the student adds CLONE_NEWUSER), kit-init holds no capability, and
 * cannot even drop them from its bounding set (that needs CAP_SETPCAP): so
 * kit's capability and seccomp steps are left out (`privileged`, which for
 * an unprivileged process grants nothing), and no_new_privs keeps it from
 * gaining any through a setuid program.
 */
function noCapabilities(lab: Lab, part: PlanPart): boolean {
  return !isRoot() && !viaUserNamespace(lab) && !((part.cloneFlags ?? 0) & CLONE.NEWUSER);
}

export async function runLab(lab: Lab, file: string, out: string): Promise<RunnerResult> {
  const paths = kitPaths();
  const id = newContainerId();
  const setup = (await lab.setup?.(id, paths)) ?? { given: {}, part: {} };
  const trace: TraceEvent[] = [];
  const result: RunnerResult = { id, given: setup.given, seen: {}, trace, stage: 'load', stdout: '', stderr: '' };
  // Written now too: if this process is killed midway, the checker still knows the run's id and what it was given.
  writeFileSync(out, JSON.stringify(result));
  try {
    const part = loadStudent(file)(setup.given) ?? {};
    result.stage = 'refused';
    const unsafe = unsafeSteps(part);
    if (unsafe) throw new Error(unsafe);
    result.stage = 'run';
    const run = await runContainer(
      {
        command: typeof lab.command === 'function' ? lab.command(setup.given) : lab.command,
        env: [DEFAULT_PATH],
        // Without root: a user namespace mapping this user to 0 owns whatever the student's flags add (rootless.ts).
        ...(viaUserNamespace(lab) ? { namespaces: ['user' as const], userns: 'self' as const } : { namespaces: [] }),
        ...(noCapabilities(lab, part) ? { security: { privileged: true, noNewPrivileges: true } } : {}),
        name: `kit-lab-${id}`,
      },
      {
        id,
        paths,
        runtime: joinParts(setup.part, setup.before?.(part) ?? {}, part),
        onEvent: (e) => trace.push(e),
        whileRunning: async (pid) => {
          if (await commandStarted(pid)) result.seen = await lab.observe(pid, setup.given);
        },
      },
    );
    result.stdout = run.stdout;
    result.stderr = run.stderr;
  } catch (err) {
    result.error = String((err as Error).message ?? err).split('\n')[0];
  }
  return result;
}

/** The pid of this process's parent now (/proc: a parent that died is replaced by init or a subreaper). */
function parentPid(): number {
  const stat = readProc(process.pid, 'stat') ?? '';
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/** How long a run stopped for its checker's death may take to undo its changes before the runner leaves anyway. */
const ORPHAN_GRACE_MS = 5000;

/**
 * `kit lab check` killed (kill -9: it could not stop this runner, as its
 * time limit or Ctrl-C would): stop the run as Ctrl-C does, so kit kills
 * the container and undoes what it made, and remove the checker's scratch
 * dir (`out`'s) on the way out. Student code that will not let the run end
 * is left after ORPHAN_GRACE_MS: the runner exits, and its journal, its
 * owner dead, is replayed by the next kit command (kit's reaping).
 */
function stopWithChecker(out: string): void {
  const checker = parentPid();
  const watch = setInterval(() => {
    if (parentPid() === checker) return;
    clearInterval(watch);
    orphaned = true;
    process.once('exit', () => rmSync(dirname(out), { recursive: true, force: true }));
    interruptAll('SIGTERM', 'kit lab check was killed');
    setTimeout(() => process.exit(1), ORPHAN_GRACE_MS).unref();
  }, 200);
  watch.unref();
}

let orphaned = false;

if (require.main === module) {
  const [id, file, out] = process.argv.slice(2);
  stopWithChecker(out);
  const write = (result: unknown) => {
    if (!orphaned) writeFileSync(out, JSON.stringify(result)); // nobody reads it: the checker is gone
  };
  runLab(findLab(id), file, out)
    .then(write)
    .catch((err) => {
      write({ error: String(err) });
      process.exitCode = 1;
    });
}
