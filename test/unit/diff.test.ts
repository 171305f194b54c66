import { diffLines, unchanged } from '../../core/trace/diff';

test('only the lines added or removed are marked; moved-around context is not', () => {
  const before = ['-P PREROUTING ACCEPT', '-P OUTPUT ACCEPT', '', '-P FORWARD ACCEPT'].join('\n');
  const after = ['-P PREROUTING ACCEPT', '-P OUTPUT ACCEPT', '-N KIT', '', '-P FORWARD ACCEPT', '-A FORWARD -o kit0 -j ACCEPT'].join('\n');
  const diff = diffLines(before, after);
  expect(diff.filter((l) => l.mark === '+').map((l) => l.text)).toEqual(['-N KIT', '-A FORWARD -o kit0 -j ACCEPT']);
  expect(diff.filter((l) => l.mark === '-')).toEqual([]);
  expect(unchanged(diff)).toBe(false);
});

test('a view that went away is shown removed, the new one added', () => {
  const diff = diffLines('(no kit0 bridge on this host)', 'bridge name\tbridge id\nkit0\t8000.1');
  expect(diff).toEqual([
    { mark: '+', text: 'bridge name\tbridge id' },
    { mark: '+', text: 'kit0\t8000.1' },
    { mark: '-', text: '(no kit0 bridge on this host)' },
  ]);
});

test('identical views, trailing blanks aside, are unchanged; a "... (N more lines)" summary is never a change', () => {
  expect(unchanged(diffLines('vm', 'vm'))).toBe(true);
  expect(unchanged(diffLines('key  id \n', 'key  id\n'))).toBe(true);
  expect(unchanged(diffLines('a\nb\n... (87 more lines)', 'a\nb\n... (88 more lines)'))).toBe(true);
});
