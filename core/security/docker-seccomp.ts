import { basename } from 'node:path';
import { KitError } from '../errors';
import { readRegularFile } from '../host/regular-file';
import { CAPABILITIES } from './capabilities';
import type { ArgCheck, RuleCondition, SeccompAction, SeccompProfile, SeccompRule } from './seccomp-profile';

/** A profile is a few kilobytes; anything past this is not one. */
const MAX_PROFILE_BYTES = 1024 * 1024;

const ACTIONS: Record<string, SeccompAction['kind']> = {
  SCMP_ACT_ALLOW: 'allow',
  SCMP_ACT_ERRNO: 'errno',
  SCMP_ACT_KILL: 'kill_thread',
  SCMP_ACT_KILL_THREAD: 'kill_thread',
  SCMP_ACT_KILL_PROCESS: 'kill_process',
  SCMP_ACT_TRAP: 'trap',
  SCMP_ACT_TRACE: 'trace',
  SCMP_ACT_LOG: 'log',
};

const OPS: Record<string, ArgCheck['op']> = {
  SCMP_CMP_EQ: 'eq', SCMP_CMP_NE: 'ne', SCMP_CMP_LT: 'lt', SCMP_CMP_LE: 'le', SCMP_CMP_GT: 'gt', SCMP_CMP_GE: 'ge', SCMP_CMP_MASKED_EQ: 'masked_eq',
};

const EPERM = 1;
const FIX = 'see Docker\'s profile format (moby profiles/seccomp/default.json), or use --security-opt seccomp=unconfined';

/**
 * `--security-opt seccomp=FILE`: Docker's JSON profile format, read as
 * untrusted input (a regular file, bounded size) and checked field by
 * field, so a mistake is one line naming the field, before anything starts.
 */
export function readDockerProfile(path: string): SeccompProfile {
  const text = readRegularFile(path, {
    what: `seccomp profile ${path}`,
    maxBytes: MAX_PROFILE_BYTES,
    limitText: 'a profile (1 MiB at most)',
    fix: { open: 'give the path of a JSON profile file', special: 'give the path of a JSON profile file', size: FIX },
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new KitError(`seccomp profile ${path} is not JSON: ${(err as Error).message}`, FIX);
  }
  return parseDockerProfile(json, basename(path));
}

export function parseDockerProfile(json: unknown, name: string): SeccompProfile {
  const bad = (where: string, what: string): never => {
    throw new KitError(`seccomp profile ${name}: ${where} ${what}`, FIX);
  };
  const root = object(json, 'the profile', bad);
  const defaultErrno = optionalNumber(root.defaultErrnoRet, 'defaultErrnoRet', bad);
  const defaultAction = action(root.defaultAction, defaultErrno, 'defaultAction', bad);
  if (root.syscalls !== undefined && root.syscalls !== null && !Array.isArray(root.syscalls)) bad('syscalls', 'must be a list');
  const rules = ((root.syscalls as unknown[] | null | undefined) ?? []).map((entry, i) => rule(entry, `syscalls[${i}]`, bad));
  return { name, defaultAction, rules };
}

type Bad = (where: string, what: string) => never;

function rule(entry: unknown, where: string, bad: Bad): SeccompRule {
  const r = object(entry, where, bad);
  const names = r.names !== undefined ? stringList(r.names, `${where}.names`, bad) : r.name !== undefined ? [string(r.name, `${where}.name`, bad)] : bad(where, 'has neither "names" nor "name"');
  if (!names.length) bad(`${where}.names`, 'is empty');
  for (const n of names) if (!/^[a-z_][a-z0-9_]*$/.test(n)) bad(`${where}.names`, `has '${n}', which is not a syscall name`);
  const errnoRet = optionalNumber(r.errnoRet, `${where}.errnoRet`, bad);
  const args = r.args === undefined || r.args === null ? undefined : list(r.args, `${where}.args`, bad).map((a, i) => argCheck(a, `${where}.args[${i}]`, bad));
  return {
    names,
    action: action(r.action, errnoRet, `${where}.action`, bad),
    args,
    includes: condition(r.includes, `${where}.includes`, bad),
    excludes: condition(r.excludes, `${where}.excludes`, bad),
  };
}

function action(value: unknown, errnoRet: number | undefined, where: string, bad: Bad): SeccompAction {
  const text = string(value, where, bad);
  if (text === 'SCMP_ACT_NOTIFY') bad(where, 'SCMP_ACT_NOTIFY needs a listener process, which kit does not run');
  const kind = ACTIONS[text] ?? bad(where, `'${text}' is not a seccomp action (${Object.keys(ACTIONS).join(', ')})`);
  if (kind === 'errno') return { kind, data: errnoRet ?? EPERM };
  if (kind === 'trace') return { kind, data: errnoRet ?? 0 };
  return { kind } as SeccompAction;
}

function argCheck(value: unknown, where: string, bad: Bad): ArgCheck {
  const a = object(value, where, bad);
  const index = number(a.index, `${where}.index`, bad);
  if (index > 5) bad(`${where}.index`, `is ${index}: a syscall has arguments 0 to 5`);
  const opText = string(a.op, `${where}.op`, bad);
  const op = OPS[opText] ?? bad(`${where}.op`, `'${opText}' is not a comparison (${Object.keys(OPS).join(', ')})`);
  return { index, op, value: number(a.value, `${where}.value`, bad), valueTwo: optionalNumber(a.valueTwo, `${where}.valueTwo`, bad) };
}

function condition(value: unknown, where: string, bad: Bad): RuleCondition | undefined {
  if (value === undefined || value === null) return undefined;
  const c = object(value, where, bad);
  const caps = c.caps === undefined || c.caps === null ? undefined : stringList(c.caps, `${where}.caps`, bad).map((cap) => {
    const short = cap.toUpperCase().replace(/^CAP_/, '');
    return CAPABILITIES.includes(short as (typeof CAPABILITIES)[number]) ? short : bad(`${where}.caps`, `has '${cap}', which is not a capability`);
  });
  const arches = c.arches === undefined || c.arches === null ? undefined : stringList(c.arches, `${where}.arches`, bad);
  const minKernel = c.minKernel === undefined || c.minKernel === null ? undefined : string(c.minKernel, `${where}.minKernel`, bad);
  if (minKernel !== undefined && !/^\d+\.\d+$/.test(minKernel)) bad(`${where}.minKernel`, `'${minKernel}' is not a kernel version like 4.8`);
  return { caps, arches, minKernel };
}

function object(value: unknown, where: string, bad: Bad): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : bad(where, 'must be an object');
}

function list(value: unknown, where: string, bad: Bad): unknown[] {
  return Array.isArray(value) ? value : bad(where, 'must be a list');
}

function string(value: unknown, where: string, bad: Bad): string {
  return typeof value === 'string' ? value : bad(where, 'must be a string');
}

function stringList(value: unknown, where: string, bad: Bad): string[] {
  return list(value, where, bad).map((v, i) => string(v, `${where}[${i}]`, bad));
}

function number(value: unknown, where: string, bad: Bad): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) return bad(where, 'must be a whole number, 0 or more');
  if (!Number.isSafeInteger(value)) return bad(where, `is too large to be read exactly (${value})`);
  return value;
}

function optionalNumber(value: unknown, where: string, bad: Bad): number | undefined {
  return value === undefined || value === null ? undefined : number(value, where, bad);
}
