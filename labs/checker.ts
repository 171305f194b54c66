import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { containerDir, kitPaths, reapOrphans, type KitPaths, type TraceEvent } from '../core';
import type { Check, Lab, LabRun } from './lab';
import { mountsOf } from './observe';
import type { RunnerResult } from './runner';
import { repoRoot } from './workspace';
import { show, firstFailure } from './trace';
import { viaUserNamespace } from './rootless';

/** One line of the checklist. */
export interface CheckLine {
  name: string;
  pass: boolean;
  /** Not looked at: the container never got to its command, so there was nothing to look at. */
  skipped?: boolean;
}

export interface CheckReport {
  lab: string;
  passed: boolean;
  checks: CheckLine[];
  /** For the first failed check: what went wrong (from the trace) and the hint that unblocks it. */
  failure?: { check: string; why?: string; hint: string; hintNumber: number };
  /** The student's run, for graders (--json) and --trace. */
  run: LabRun;
  timedOut: boolean;
}

export interface CheckOptions {
  paths?: KitPaths;
  /** Where the student's output and debug prints go (stderr by default). */
  echo?: (chunk: string) => void;
  /** Overrides the lab's time limit (seconds). */
  timeoutSeconds?: number;
}

const HOST_CLEAN = 'the host is clean afterwards: nothing the run made is left';

/**
 * Run the student's lab.ts in a child (the runner), within the lab's time
 * limit, then check what it did from outside: the lab's checks in order,
 * and that nothing it made is left on the host. A child killed midway (time
 * limit, Ctrl-C, kill -9) has its journal replayed here before the host is
 * looked at.
 */
export async function checkLab(lab: Lab, file: string, options: CheckOptions = {}): Promise<CheckReport> {
  const paths = options.paths ?? kitPaths();
  const hostnameBefore = hostname();
  const { result, timedOut } = await runInChild(lab, file, options);
  await reapKilledRun(paths, result.id);
  const leftovers = hostLeftovers(result, paths);
  if (hostname() !== hostnameBefore) leftovers.push(`the host's hostname changed from ${hostnameBefore} to ${hostname()}`);
  const run: LabRun = {
    given: result.given ?? {},
    seen: result.seen ?? {},
    trace: result.trace ?? [],
    error: timedOut ? `stopped after ${limitOf(lab, options)} s: the run took longer than the lab allows` : result.error,
    stdout: result.stdout ?? '',
    stderr: result.stderr ?? '',
    leftovers,
    viaUserNamespace: viaUserNamespace(lab),
  };
  const ran: Check = {
    name: 'your lab.ts loads, and kit accepts its plan',
    pass: () => timedOut || result.stage === 'run',
    diagnose: () => run.error,
    hint: hintAbout(lab, run.error),
  };
  const stopped = run.trace.find((e) => e.side === 'container' && e.errno !== null);
  // Nothing was seen: the command never ran (a call failed in kit or inside, or the child died first).
  const vanished = !timedOut && result.stage === 'run' && Object.keys(run.seen).length === 0;
  const why = stopped ? explainStop(lab, run, stopped) : vanished ? explainVanished(lab, run) : undefined;
  const reached: Check = {
    name: 'the container reaches its command: every container step succeeds',
    pass: () => !stopped && !vanished,
    diagnose: () => why?.why,
    hint: why?.hint ?? 0,
  };
  const ranCommand = ran.pass(run) && reached.pass(run);
  const checks = [
    { check: ran, pass: ran.pass(run) },
    { check: reached, pass: ranCommand, skipped: !ran.pass(run) },
    ...lab.checks.map((c) => ({ check: c, pass: ranCommand && safely(() => c.pass(run)) === true, skipped: !ranCommand })),
    { check: { name: HOST_CLEAN, pass: () => leftovers.length === 0, hint: lab.cleanHint ?? -1 }, pass: leftovers.length === 0 },
  ];
  const first = checks.find((c) => !c.pass);
  const failure = first && {
    check: first.check.name,
    why: first.check.name === HOST_CLEAN ? `left on the host: ${leftovers.join('; ')} (make every host change through ctx.changes.make, undo first)` : explain(first.check, run),
    hintNumber: first.check.hint,
    hint: lab.hints[first.check.hint] ?? 'every change your host steps make must be journaled: ctx.changes.make({ op: ... }, () => change)',
  };
  return { lab: lab.id, passed: !first, checks: checks.map((c) => ({ name: c.check.name, pass: c.pass, ...('skipped' in c && c.skipped ? { skipped: true } : {}) })), failure, run, timedOut };
}

/** The lab's hint about what an error names (CLONE_NEWNS -> the hint that adds CLONE.NEWNS), else the first. */
function hintAbout(lab: Lab, error: string | undefined): number {
  const flag = error?.match(/CLONE_(NEW[A-Z]+)/)?.[1];
  const i = flag ? lab.hints.findIndex((h) => h.includes(`CLONE.${flag}`)) : -1;
  return Math.max(i, 0);
}

/** A container step failed: the lab check whose diagnosis names that call says why, with its hint. */
function explainStop(lab: Lab, run: LabRun, stopped: TraceEvent): { why: string; hint: number } {
  for (const check of lab.checks) {
    const why = safely(() => check.diagnose?.(run));
    if (typeof why === 'string' && why.includes(`${stopped.syscall}(`)) return { why, hint: check.hint };
  }
  const hint = lab.hints.findIndex((h) => h.includes(`'${stopped.syscall}'`));
  return { why: `${show(stopped)} inside the container: kit-init stopped there, before the command`, hint: Math.max(hint, 0) };
}

/** The container never reached its command, with no failed call inside to show: the first lab check that can say why. */
function explainVanished(lab: Lab, run: LabRun): { why: string; hint: number } {
  for (const check of lab.checks) {
    const why = safely(() => check.diagnose?.(run));
    if (typeof why === 'string') return { why: `the container never reached its command: ${why}`, hint: check.hint };
  }
  return { why: `the container never reached its command${run.error ? `: ${run.error}` : ''}`, hint: hintAbout(lab, run.error) };
}

function explain(check: Lab['checks'][number], run: LabRun): string | undefined {
  const why = safely(() => check.diagnose?.(run));
  if (typeof why === 'string') return why;
  if (run.error) return `the run stopped: ${run.error}`;
  const failed = firstFailure(run.trace);
  return failed ? `${show(failed)}${failed.side === 'container' ? ' (inside the container)' : ''}` : undefined;
}

function safely<T>(f: () => T): T | false {
  try {
    return f();
  } catch {
    return false;
  }
}

/**
 * A runner that was killed could not undo its own changes: replay its
 * journal (kit's reaping). Its container dies with it (PDEATHSIG), but not
 * at once: a cgroup still holding the dying process is busy, so retry
 * for a few seconds, as the next kit command would.
 */
async function reapKilledRun(paths: KitPaths, id: string | undefined): Promise<void> {
  for (let i = 0; i < 40; i++) {
    reapOrphans(paths);
    if (!id || !existsSync(containerDir(paths, id))) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function limitOf(lab: Lab, options: CheckOptions): number {
  return options.timeoutSeconds ?? lab.timeoutSeconds ?? 30;
}

async function runInChild(lab: Lab, file: string, options: CheckOptions): Promise<{ result: Partial<RunnerResult>; timedOut: boolean }> {
  const dir = mkdtempSync(join(tmpdir(), 'kit-lab-'));
  const out = join(dir, 'result.json');
  const echo = options.echo ?? ((chunk: string) => process.stderr.write(chunk));
  // process.env explicitly: the runner must use the same KIT_ROOT as this process (a test may have set it).
  const child = spawn(process.execPath, [join(repoRoot(), 'dist', 'labs', 'runner.js'), lab.id, file, out], { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  child.stdout.setEncoding('utf8').on('data', echo);
  child.stderr.setEncoding('utf8').on('data', echo);
  let timedOut = false;
  const limit = setTimeout(() => {
    timedOut = true;
    child.kill('SIGTERM'); // the runner's kit undoes its journal on SIGTERM...
    setTimeout(() => child.kill('SIGKILL'), 5000).unref(); // ...or it is killed, and reaped here
  }, limitOf(lab, options) * 1000);
  // Ctrl-C reaches the runner too (same process group): its kit undoes what it
  // made; if the student's code does not let it, it is killed and reaped here.
  let interrupted = false;
  const onInterrupt = () => {
    interrupted = true;
    setTimeout(() => child.kill('SIGKILL'), 3000).unref();
  };
  process.on('SIGINT', onInterrupt);
  try {
    await new Promise<void>((resolve) => child.on('close', () => resolve()));
  } finally {
    clearTimeout(limit);
    process.off('SIGINT', onInterrupt);
  }
  const result = (existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : {}) as Partial<RunnerResult>;
  if (child.signalCode || interrupted) result.error = `your code was stopped (${interrupted ? 'Ctrl-C' : child.signalCode}) before it finished`;
  rmSync(dir, { recursive: true, force: true });
  return { result, timedOut };
}

/** What the run made that is still on the host: anything named after its id, its given paths, its state dir. */
function hostLeftovers(result: Partial<RunnerResult>, paths: KitPaths): string[] {
  const id = result.id;
  if (!id) return [];
  const short = id.slice(0, 8);
  const left: string[] = [];
  for (const m of mountsOf('self')) if (m.mountPoint.includes(id) || m.source.includes(id)) left.push(`a ${m.fstype} mount at ${m.mountPoint}`);
  const links = spawnSync('ip', ['-o', 'link'], { encoding: 'utf8' }).stdout ?? '';
  for (const line of links.split('\n')) if (line.includes(short)) left.push(`the link ${line.split(':')[1]?.trim().split('@')[0]}`);
  for (const table of ['nat', 'filter']) {
    const rules = spawnSync('iptables', ['-w', '-t', table, '-S'], { encoding: 'utf8' }).stdout ?? '';
    for (const rule of rules.split('\n')) if (rule.includes(short)) left.push(`the iptables rule \`${rule}\``);
  }
  for (const value of Object.values(result.given ?? {}).flat()) {
    if (typeof value === 'string' && value.includes(id) && existsSync(value)) left.push(value);
  }
  if (existsSync(containerDir(paths, id))) left.push(`kit's state dir ${containerDir(paths, id)}`);
  return left;
}
