import uts from '../../chapters/uts';
import { checkClaims, type ChapterResultData } from '../../core/curriculum/claims';

const run = (stdout: string): ChapterResultData => ({ before: [], during: [], running: [], after: [], trace: [], container: { stdout, stderr: '', exitCode: 0, signal: null, notes: [] } });
const printed = (stdout: string) => checkClaims(uts.claims ?? [], run(stdout)).find((c) => c.says.includes('printed the hostname'))?.held;

test("uts: the chapter's own Try line, -- uname -a, shows the hostname too: the point holds for it, not for another name", () => {
  expect(printed('kit-uts-demo\n')).toBe(true);
  expect(printed('Linux kit-uts-demo 6.18.44 #1 SMP x86_64 GNU/Linux\n')).toBe(true);
  expect(printed('Linux buildhost 6.18.44 #1 SMP x86_64 GNU/Linux\n')).toBe(false);
  expect(printed('kit-uts-demo2\n')).toBe(false);
});
