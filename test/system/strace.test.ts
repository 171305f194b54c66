import { cleanKitRoot, kit, kitJson } from '../support/kit';

const kr = cleanKitRoot();

test("--strace: the real strace's lines hold the container command's execve and what it did after", () => {
  const r = kitJson<{ strace: string[] }>(['chapter', 'pid', '--strace'], kr.env);
  const exec = r.strace.findIndex((l) => /execve\("\/usr\/bin\/ps", \["ps", "-ef"\], .*\) = 0/.test(l));
  expect(exec).toBeGreaterThanOrEqual(0);
  // After execve: ps reading the container's /proc, which kit's own trace cannot show.
  expect(r.strace.slice(exec).some((l) => l.includes('/proc'))).toBe(true);
});

test('--strace in text mode prints the strace view after kit\'s trace', () => {
  const r = kit(['chapter', 'uts', '--strace'], kr.env);
  expect(r.status).toBe(0);
  const traceAt = r.stdout.indexOf('What kit did');
  const straceAt = r.stdout.indexOf('strace of the process inside');
  expect(traceAt).toBeGreaterThanOrEqual(0);
  expect(straceAt).toBeGreaterThan(traceAt);
  expect(r.stdout.slice(straceAt)).toMatch(/execve\("\/usr\/bin\/hostname"/);
});
