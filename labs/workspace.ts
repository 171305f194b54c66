import { spawnSync } from 'node:child_process';
import { chownSync, copyFileSync, existsSync, lstatSync, mkdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { KitError } from '../core';

/**
 * Where a student's labs and progress live: ~/kit-labs/<lab>/ and
 * ~/.kit/progress.json, in the student's home even under sudo (the home of
 * SUDO_USER, and files they can edit), never inside kit's repository.
 * KIT_LABS_HOME replaces the home (tests, shared machines).
 */

/** The repository (or installed package) kit runs from: labs/<id>/ holds each lab's files. */
export function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'labs'))) {
    const up = dirname(dir);
    if (up === dir) throw new KitError('cannot find kit\'s labs/ folder', 'run kit from its repository or installed package');
    dir = up;
  }
  return dir;
}

export function labSourceDir(id: string): string {
  return join(repoRoot(), 'labs', id);
}

/** The student's home: SUDO_USER's when run with sudo, so `sudo kit lab check` finds what `kit lab start` made. */
export function studentHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KIT_LABS_HOME) return env.KIT_LABS_HOME;
  if (process.getuid?.() === 0 && env.SUDO_USER) {
    const entry = spawnSync('getent', ['passwd', env.SUDO_USER], { encoding: 'utf8' }).stdout?.trim();
    const home = entry?.split(':')[5];
    if (home) return home;
  }
  return homedir();
}

/** The student under sudo: files kit writes in their home stay theirs. */
function owner(env: NodeJS.ProcessEnv = process.env): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0 || !env.SUDO_UID || !env.SUDO_GID) return undefined;
  return { uid: Number(env.SUDO_UID), gid: Number(env.SUDO_GID) };
}

function giveToStudent(path: string): void {
  const o = owner();
  if (o) chownSync(path, o.uid, o.gid);
}

export function workDir(id: string): string {
  const dir = join(studentHome(), 'kit-labs', id);
  const rel = relative(repoRoot(), resolve(dir));
  if (!rel.startsWith('..')) throw new KitError(`${dir} is inside kit's repository`, 'labs are copied to your home: set KIT_LABS_HOME to a directory outside the repository');
  return dir;
}

export function labFile(id: string): string {
  return join(workDir(id), 'lab.ts');
}

export interface LabProgress {
  startedAt?: string;
  /** How many times `kit lab check` ran it, and whether it ever passed. */
  checks: number;
  passed: boolean;
  passedAt?: string;
  /** How many hints `kit lab hint` has revealed. */
  hintsShown: number;
}

function progressFile(): string {
  return join(studentHome(), '.kit', 'progress.json');
}

export function readProgress(): Record<string, LabProgress> {
  try {
    return (JSON.parse(readFileSync(progressFile(), 'utf8')) as { labs: Record<string, LabProgress> }).labs ?? {};
  } catch {
    return {};
  }
}

export function progressOf(id: string): LabProgress {
  return readProgress()[id] ?? { checks: 0, passed: false, hintsShown: 0 };
}

export function updateProgress(id: string, change: (p: LabProgress) => LabProgress): LabProgress {
  const all = readProgress();
  const next = change(all[id] ?? { checks: 0, passed: false, hintsShown: 0 });
  const file = progressFile();
  if (!existsSync(dirname(file))) {
    mkdirSync(dirname(file), { recursive: true });
    giveToStudent(dirname(file));
  }
  writeFileSync(file + '.tmp', JSON.stringify({ labs: { ...all, [id]: next } }, null, 2) + '\n');
  renameSync(file + '.tmp', file);
  giveToStudent(file);
  return next;
}

/**
 * Copy a lab's starter and README to ~/kit-labs/<id>/, with what tsx and an
 * editor need to resolve `import ... from 'kit'` (node_modules/kit -> kit).
 */
export function startLab(id: string): string {
  const dir = workDir(id);
  const file = labFile(id);
  if (existsSync(file)) throw new KitError(`lab ${id} is already started: ${file}`, `edit it, or start over with \`kit lab reset ${id}\``);
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(labSourceDir(id), 'starter.ts'), file);
  copyFileSync(join(labSourceDir(id), 'README.md'), join(dir, 'README.md'));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, esModuleInterop: true, types: ['node'], typeRoots: [join(repoRoot(), 'node_modules', '@types')] } }, null, 2) + '\n');
  linkKit(dir);
  for (const path of [dir, file, join(dir, 'README.md'), join(dir, 'tsconfig.json')]) giveToStudent(path);
  updateProgress(id, (p) => ({ ...p, startedAt: new Date().toISOString() }));
  return file;
}

/** node_modules/kit in the lab dir points at kit itself: `from 'kit'` is core's public API (package.json main). */
function linkKit(dir: string): void {
  const modules = join(dir, 'node_modules');
  mkdirSync(modules, { recursive: true });
  const link = join(modules, 'kit');
  if (!lstatOrUndefined(link)) symlinkSync(repoRoot(), link);
  giveToStudent(modules);
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/** Put the starter back (the old lab.ts is kept as lab.ts.bak) and forget the lab's progress. */
export function resetLab(id: string): string {
  const file = labFile(id);
  if (existsSync(file)) renameSync(file, file + '.bak');
  updateProgress(id, () => ({ checks: 0, passed: false, hintsShown: 0 }));
  return startLab(id);
}

export function solutionOf(id: string): string {
  return readFileSync(join(labSourceDir(id), 'solution.ts'), 'utf8');
}
