import { aufsMountData } from '../../core/storage/aufs';

// aufs is not in this kernel (nor in mainline Linux): what kit would pass to mount(2) is checked as data.

test('aufs: one rw branch for the container, then the image layers read-only with whiteouts, topmost first', () => {
  expect(aufsMountData('/k/c/diff', ['/k/l/top', '/k/l/bottom'])).toEqual(['br:/k/c/diff=rw:/k/l/top=ro+wh:/k/l/bottom=ro+wh,dio,xino=/dev/shm/aufs.xino']);
});

test('aufs: branches that do not fit in one page are appended by remounts, in order', () => {
  const layers = Array.from({ length: 100 }, (_, i) => `/var/lib/kit/layers/${String(i).padStart(64, '0')}/diff`);
  const [first, ...more] = aufsMountData('/var/lib/kit/containers/abc/diff', layers);
  expect(Buffer.byteLength(first)).toBeLessThan(4096);
  expect(first.startsWith('br:/var/lib/kit/containers/abc/diff=rw:')).toBe(true);
  const inFirst = first.replace(/,dio,.*$/, '').split(':').slice(2).map((b) => b.replace(/=ro\+wh$/, ''));
  expect(more.length).toBeGreaterThan(0);
  expect([...inFirst, ...more.map((m) => m.replace(/^append:/, '').replace(/=ro\+wh$/, ''))]).toEqual(layers);
});
