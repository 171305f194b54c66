import { describeCpuLimit, provesLimit, QUOTA_US, type CpuLimitMeasure } from '../../labs/cpu-limit';

/**
 * What proves a CPU limit, from a cgroup's own counters (the measurement
 * itself runs in test/system/labs.test.ts, cgroup and final labs): no more
 * than the quota per period, enough to have run, and throttled by the kernel.
 */
const measure = (usageMs: number, periods: number, throttled: number): CpuLimitMeasure => ({
  usageUs: usageMs * 1000,
  periods,
  throttled,
  periodUs: 100000,
  quotaUs: QUOTA_US,
  share: periods ? (usageMs * 1000) / (periods * 100000) : undefined,
  allowedUs: QUOTA_US * (periods + 1) + 10000,
});

test('half a CPU, throttled in its periods: the limit holds', () => {
  expect(provesLimit(measure(508, 10, 10))).toBe(true);
  expect(describeCpuLimit(measure(508, 10, 10))).toBe('the cgroup used 508 ms of CPU over 10 periods of 100 ms (a quota of 50000 us allows at most 560 ms there), 51% of a CPU, and was stopped at its quota in 10 of them');
});

test('more than the quota allows over its periods: not limited', () => {
  expect(provesLimit(measure(900, 10, 0))).toBe(false);
  expect(provesLimit(measure(600, 10, 3))).toBe(false);
});

test('never throttled, no periods, or nothing ran: the limit is not shown', () => {
  expect(provesLimit(measure(300, 10, 0))).toBe(false);
  expect(provesLimit(measure(0, 0, 0))).toBe(false);
  expect(describeCpuLimit(measure(0, 0, 0))).toMatch(/no enforcement period for the cgroup: no quota is in force/);
  expect(provesLimit(measure(2, 10, 1))).toBe(false);
});
