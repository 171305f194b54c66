import chroot from '../../chapters/chroot';
import rootfs from '../../chapters/rootfs';
import { checkClaims } from '../../core/curriculum/claims';
import type { ChapterResultData } from '../../core/curriculum/claims';

const NONE = "no mount with a kit-… source (what kit's demo containers mount inside)";
const mounts = (...rows: string[]) => ({ probe: 'mounts', title: "the host's mount table", text: [`${20 + rows.length} mounts on the host`, ...(rows.length ? rows : [NONE])].join('\n') });
const run = (before: string[], after: string[]): ChapterResultData => ({
  before: [mounts(...before)], during: [], running: [], after: [mounts(...after)], trace: [],
  container: { stdout: '', stderr: '', exitCode: 0, signal: null, notes: [] },
});
const mountClaim = (chapter: typeof chroot, r: ChapterResultData) => checkClaims(chapter.claims ?? [], r).find((c) => c.says.startsWith('after the run the host has no mount'));

test.each([[chroot], [rootfs]])('%#: a kit mount another kit process held before and after does not make "no mount of the container\'s" false', (chapter) => {
  const other = '/tmp/speedroot/run  kit-speed-state  tmpfs';
  expect(mountClaim(chapter, run([other], [other]))?.held).toBe(true);
  expect(mountClaim(chapter, run([], []))?.held).toBe(true);
  // A kit mount that appeared during the run is the run's: the claim does not hold.
  expect(mountClaim(chapter, run([other], [other, '/mnt/www  kit-www  tmpfs']))?.held).toBe(false);
  expect(mountClaim(chapter, run([], ['/mnt/www  kit-www  tmpfs']))?.held).toBe(false);
});
