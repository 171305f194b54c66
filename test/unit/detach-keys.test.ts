import { DetachKeys, parseDetachKeys } from '../../core/engine/detach-keys';

test('--detach-keys as docker reads them: ctrl-<key> as its control code, single characters as themselves', () => {
  expect([...parseDetachKeys()]).toEqual([0x10, 0x11]);
  expect([...parseDetachKeys('')]).toEqual([0x10, 0x11]);
  expect([...parseDetachKeys('ctrl-a,x,ctrl-@,ctrl-[,ctrl-\\,ctrl-],ctrl-^,ctrl-_')]).toEqual([1, 0x78, 0, 27, 28, 29, 30, 31]);
  expect(() => parseDetachKeys('ctrl-1')).toThrow("bad --detach-keys 'ctrl-1': 'ctrl-1' is not a key");
  expect(() => parseDetachKeys('ab')).toThrow("'ab' is not a key");
});

test('the detach sequence is held back, passed on when the next key breaks it, and ends the session when complete', () => {
  const keys = new DetachKeys(parseDetachKeys());
  expect(keys.feed(Buffer.from('ls\n'))).toEqual({ pass: Buffer.from('ls\n'), detach: false });
  expect(keys.feed(Buffer.from([0x10]))).toEqual({ pass: Buffer.alloc(0), detach: false }); // held: it may start the sequence
  expect(keys.feed(Buffer.from('a'))).toEqual({ pass: Buffer.from([0x10, 0x61]), detach: false }); // it did not: both go on
  expect(keys.feed(Buffer.from([0x10, 0x10]))).toEqual({ pass: Buffer.from([0x10]), detach: false }); // the second may start it again
  expect(keys.feed(Buffer.from([0x11, 0x41]))).toEqual({ pass: Buffer.alloc(0), detach: true }); // complete: what follows is dropped
  expect(keys.feed(Buffer.from([0x61, 0x10, 0x11]))).toEqual({ pass: Buffer.from('a'), detach: true });
});
