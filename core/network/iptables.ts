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
