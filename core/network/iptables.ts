import { KitError } from '../errors';
import { checkCommand, runCommand } from '../host/command';
import type { HostChanges } from '../host/journal';
import { TraceRecorder } from '../trace/recorder';

/**
 * iptables, as Docker drives it. Two backends share the command: nf_tables
 * (iptables-nft, rules live in nftables tables named like the old ones) and
 * legacy (the x_tables kernel API). `iptables --version` says which one this
 * host's `iptables` is; kit uses whichever it is, as Docker does.
 * Every rule kit adds is journaled as the exact `iptables -D` that removes it.
 */
export type Backend = 'nf_tables' | 'legacy';

const INSTALL = 'install it: apt-get install iptables (Debian/Ubuntu) or dnf install iptables (Fedora)';

export function iptablesBackend(trace = new TraceRecorder()): Backend {
  const r = runCommand(trace, 'which iptables is this: nf_tables (iptables-nft) or legacy (x_tables)?', ['iptables', '--version']);
  if (r.status !== 0) throw new KitError('iptables is not installed: bridge networking and -p need it', INSTALL);
  return r.stdout.includes('nf_tables') ? 'nf_tables' : 'legacy';
}

/** A rule as `iptables -t <table> -A <chain> <spec...>` takes it. */
export interface Rule {
  table: 'nat' | 'filter';
  chain: string;
  spec: string[];
}

/** -w: wait for the xtables lock instead of failing when another iptables runs. */
function argv(action: string, rule: Rule): string[] {
  return ['iptables', '-w', '-t', rule.table, action, rule.chain, ...rule.spec];
}

function ruleExists(trace: TraceRecorder, rule: Rule): boolean {
  return runCommand(trace, 'is the rule there already? (-C checks, so the rule is never added twice)', argv('-C', rule), { no: 'no, not yet' }).status === 0;
}

/**
 * Add a rule unless it is there (-C before -A or -I), journaling its removal
 * first. Callers hold the network lock, so check and add do not interleave.
 * `first` inserts at the top (-I): for FORWARD, where a DROP rule of the
 * host's own could otherwise come before kit's ACCEPT.
 */
export function ensureRule(trace: TraceRecorder, changes: HostChanges, rule: Rule, why: string, first = false): void {
  if (ruleExists(trace, rule)) return;
  const { table, chain, spec } = rule;
  changes.make({ op: 'iptables-delete', table, chain, spec }, () => checkCommand(trace, why, argv(first ? '-I' : '-A', rule)));
}

export function ensureChain(trace: TraceRecorder, changes: HostChanges, table: Rule['table'], chain: string, why: string): void {
  const listed = runCommand(trace, `does the ${chain} chain exist?`, ['iptables', '-w', '-t', table, '-S', chain], { no: 'no, not yet' }).status === 0;
  if (listed) return;
  changes.make({ op: 'iptables-chain-delete', table, chain }, () => checkCommand(trace, why, ['iptables', '-w', '-t', table, '-N', chain]));
}

/**
 * Add rules of one table in one `iptables-restore --noflush`: one program
 * however many rules, applied all together or not at all, and --noflush
 * leaves every other rule as it is (without it, restore replaces the whole
 * table). One undo record, journaled first, deletes them all. Callers hold
 * the network lock and have checked the rules are not there yet.
 */
export function addRules(trace: TraceRecorder, changes: HostChanges, table: Rule['table'], rules: Array<{ chain: string; spec: string[] }>, why: string): void {
  if (rules.length === 0) return;
  const input = restoreInput(table, rules.map((r) => ['-A', r.chain, ...r.spec]));
  changes.make({ op: 'iptables-delete-rules', table, rules }, () => checkCommand(trace, why, RESTORE, undefined, input));
}

/**
 * Undo of addRules: one restore deleting them all. If one is gone already
 * the whole restore fails and changes nothing; then each is deleted on its
 * own, and a rule or chain already gone is fine.
 */
export function deleteRules(trace: TraceRecorder, table: Rule['table'], rules: Array<{ chain: string; spec: string[] }>): string | undefined {
  const input = restoreInput(table, rules.map((r) => ['-D', r.chain, ...r.spec]));
  if (runCommand(trace, 'undo: delete the rules kit added, in one restore', RESTORE, undefined, undefined, input).status === 0) return undefined;
  const problems = rules.flatMap((r) => deleteRule(trace, { table, ...r }) ?? []);
  return problems.length ? problems.join('; ') : undefined;
}

/** -w: wait for the xtables lock; --noflush: change only the rules listed. */
const RESTORE = ['iptables-restore', '-w', '--noflush'];

/** iptables-restore's input for one table: `*nat`, one rule per line, COMMIT (one transaction). */
function restoreInput(table: string, lines: string[][]): string {
  const word = (w: string) => (/^[\w@%+=:,./!-]+$/.test(w) ? w : `"${w.replace(/(["\\])/g, '\\$1')}"`);
  return [`*${table}`, ...lines.map((l) => l.map(word).join(' ')), 'COMMIT', ''].join('\n');
}

/** Undo: delete the exact rule; a rule or chain already gone is fine. */
export function deleteRule(trace: TraceRecorder, rule: Rule): string | undefined {
  const r = runCommand(trace, 'undo: delete the rule kit added', argv('-D', rule));
  if (r.status === 0 || /does a matching rule exist|No chain|doesn't exist|does not exist/i.test(r.stderr)) return undefined;
  return `could not delete iptables rule (${argv('-D', rule).join(' ')}): ${r.stderr.trim()}`;
}

/** Undo: delete a chain kit created, once empty and unreferenced. */
export function deleteChain(trace: TraceRecorder, table: string, chain: string): string | undefined {
  const r = runCommand(trace, 'undo: delete the chain kit created', ['iptables', '-w', '-t', table, '-X', chain]);
  if (r.status === 0 || /No chain|doesn't exist|does not exist/i.test(r.stderr)) return undefined;
  return `could not delete iptables chain ${chain} in ${table}: ${r.stderr.trim()}`;
}

/** The rules of one chain, as `iptables -S` prints them (without the -N line). */
export function listRules(trace: TraceRecorder, table: Rule['table'], chain: string): string[] {
  const r = runCommand(trace, `read the ${chain} chain`, ['iptables', '-w', '-t', table, '-S', chain], { no: 'no such chain: no rules' });
  return r.status === 0 ? r.stdout.split('\n').filter((l) => l.startsWith('-A ')) : [];
}
