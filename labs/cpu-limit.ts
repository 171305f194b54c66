import { readFileSync, writeFileSync } from 'node:fs';
import { readText, sleep } from './observe';

/**
 * Whether a cgroup's CPU limit holds, measured with the cgroup's own
 * counters rather than the wall clock, so a busy host (2 cores shared with
 * other tests) cannot fake or hide it: how much CPU the group used, over how
 * many of its enforcement periods (the kernel counts one per period while
 * the group has work), and in how many of those it was stopped at its quota.
 * A busy loop under a 50% quota uses about half of each period and is
 * throttled in most of them; with no quota there are no periods at all.
 */
export interface CpuLimitMeasure {
  /** CPU the group used meanwhile, in microseconds. */
  usageUs: number;
  /** Enforcement periods that passed while it had work (cpu.stat nr_periods). */
  periods: number;
  /** Periods in which it hit its quota and was stopped (cpu.stat nr_throttled). */
  throttled: number;
  periodUs: number;
  /** The quota it was measured against. */
  quotaUs: number;
  /** usageUs / (periods * periodUs): the share of one CPU per period; undefined without periods. */
  share?: number;
  /**
   * The most a group held to `quotaUs` per period could have used meanwhile:
   * the window spans `periods` period ends, so parts of periods + 1 periods,
   * plus the scheduler's slack (runtime is handed to CPUs in 5 ms slices).
   */
  allowedUs?: number;
}

const SLACK_US = 2 * 5000;

/** The quota the cgroup labs ask for: `docker run --cpu-quota=50000` (of a 100000 us period). */
export const QUOTA_US = 50000;

interface Counters {
  usageUs: number;
  periods: number;
  throttled: number;
}

/** cpu.stat as numbers (v1: nr_periods nr_throttled throttled_time; v2 adds usage_usec). */
function cpuStat(dir: string): Record<string, number> {
  return Object.fromEntries((readText(`${dir}/cpu.stat`) ?? '').split('\n').filter(Boolean).map((l) => [l.split(' ')[0], Number(l.split(' ')[1])]));
}

/**
 * The CPU time of the group: v2 counts it in cpu.stat; v1's cpu controller
 * does not (cpuacct may be mounted apart, as here), so it is the sum of the
 * run time the scheduler kept for each of its tasks (/proc/<tid>/schedstat, ns).
 */
function usageUs(dir: string, version: string, stat: Record<string, number>): number {
  if (version === 'v2') return stat.usage_usec ?? 0;
  const acct = readText(`${dir}/cpuacct.usage`);
  if (acct !== undefined) return Number(acct) / 1000;
  let ns = 0;
  for (const tid of (readText(`${dir}/tasks`) ?? '').split('\n').filter(Boolean)) {
    try {
      ns += Number(readFileSync(`/proc/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // the task just exited
    }
  }
  return ns / 1000;
}

function counters(dir: string, version: string): Counters {
  const stat = cpuStat(dir);
  return { usageUs: usageUs(dir, version, stat), periods: stat.nr_periods ?? 0, throttled: stat.nr_throttled ?? 0 };
}

/** The period the quota is per, in microseconds (cpu.cfs_period_us, or cpu.max's second field). */
export function cpuPeriodUs(dir: string, version: string): number | undefined {
  const text = version === 'v1' ? readText(`${dir}/cpu.cfs_period_us`) : readText(`${dir}/cpu.max`)?.split(' ')[1];
  return text === undefined ? undefined : Number(text);
}

/**
 * Measure over about a second of the group's periods. The host may be busy
 * (other tests on 2 cores): so that only the quota holds the group back, it
 * gets the largest CPU weight while it is measured (cpu.shares, v2
 * cpu.weight: how CPU is split among groups that all want it; the quota is a
 * ceiling apart from it), and its old weight back after. When it still never
 * reached its quota (no throttling), measure again, a few times.
 */
export async function measureCpuLimit(dir: string, version: string, quotaUs: number, ms = 1000, tries = 3): Promise<CpuLimitMeasure> {
  const periodUs = cpuPeriodUs(dir, version) ?? 100000;
  let m: CpuLimitMeasure = { usageUs: 0, periods: 0, throttled: 0, periodUs, quotaUs };
  const [weightFile, most] = version === 'v1' ? ['cpu.shares', '262144'] : ['cpu.weight', '10000'];
  const weight = readText(`${dir}/${weightFile}`);
  if (weight === undefined) return m; // no such cgroup, or no cpu controller in it: nothing to measure
  try {
    writeFileSync(`${dir}/${weightFile}`, most);
  } catch {
    // not ours to change (no root): measure as the host lets it run
  }
  try {
    for (let i = 0; i < tries; i++) {
      const before = counters(dir, version);
      await sleep(ms);
      const after = counters(dir, version);
      const periods = after.periods - before.periods;
      const usage = after.usageUs - before.usageUs;
      m = {
        usageUs: Math.round(usage),
        periods,
        throttled: after.throttled - before.throttled,
        periodUs,
        quotaUs,
        share: periods > 0 ? usage / (periods * periodUs) : undefined,
        allowedUs: quotaUs * (periods + 1) + SLACK_US,
      };
      if (m.throttled > 0) break;
    }
  } finally {
    try {
      writeFileSync(`${dir}/${weightFile}`, weight);
    } catch {
      // the group is already gone
    }
  }
  return m;
}

/**
 * The limit, proved: the kernel ran its periods on the group, the group used
 * no more than its quota in them, enough to show it ran (a twentieth of a
 * CPU), and the kernel stopped it at the quota at least once.
 */
export function provesLimit(m: CpuLimitMeasure | undefined): boolean {
  return m !== undefined && m.periods >= 5 && m.allowedUs !== undefined && m.usageUs <= m.allowedUs && m.usageUs >= 0.05 * m.periods * m.periodUs && m.throttled > 0;
}

export function describeCpuLimit(m: CpuLimitMeasure | undefined): string {
  if (!m) return 'nothing was measured';
  if (m.periods === 0) return 'the kernel counted no enforcement period for the cgroup: no quota is in force on it, or nothing ran in it';
  const allowed = m.allowedUs === undefined ? '' : ` (a quota of ${m.quotaUs} us allows at most ${Math.round(m.allowedUs / 1000)} ms there)`;
  return `the cgroup used ${Math.round(m.usageUs / 1000)} ms of CPU over ${m.periods} periods of ${m.periodUs / 1000} ms${allowed}, ${Math.round((m.share ?? 0) * 100)}% of a CPU, and was stopped at its quota in ${m.throttled} of them`;
}
