import { createHash, randomBytes } from 'node:crypto';
import { ParallelSha256, SLOT_BYTES, SLOTS } from '../../core/image/tar/parallel-hash';

const sha256 = (...parts: Buffer[]) => {
  const hash = createHash('sha256');
  for (const p of parts) hash.update(p);
  return hash.digest('hex');
};

test('bytes read into its ring (no copy) hash to the one-pass sha256, past many turns of the ring', () => {
  const data = randomBytes(SLOT_BYTES * (SLOTS * 2 + 3) + 12345);
  const hasher = new ParallelSha256();
  for (let at = 0; at < data.length; ) {
    const slot = hasher.buffer();
    const n = data.copy(slot, 0, at, Math.min(data.length, at + SLOT_BYTES));
    hasher.update(n === SLOT_BYTES ? slot : slot.subarray(0, n));
    at += n;
  }
  expect(hasher.digest()).toBe(sha256(data));
});

test('any other buffers (odd sizes, larger than a slot, empty) are copied in, in order', () => {
  const parts = [randomBytes(1), randomBytes(SLOT_BYTES + 7), Buffer.alloc(0), randomBytes(511), randomBytes(3 * SLOT_BYTES), randomBytes(4096)];
  const hasher = new ParallelSha256();
  for (const p of parts) hasher.update(p);
  expect(hasher.digest()).toBe(sha256(...parts));
  expect(hasher.digest()).toBe(sha256(...parts)); // asked again: the same answer
});

test('nothing handed over: the sha256 of no bytes', () => {
  expect(new ParallelSha256().digest()).toBe(sha256());
});

test('no update after the digest (it would not be in it)', () => {
  const hasher = new ParallelSha256();
  hasher.digest();
  expect(() => hasher.update(Buffer.from('late'))).toThrow(/after digest/);
});
