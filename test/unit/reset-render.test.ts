import { renderReset } from '../../bin/render/reset';
import type { ResetPlan } from '../../core';

const plan: ResetPlan = {
  containers: [{ what: 'container kitinstrz (7824d616b5db, running)', changes: ['remove /tmp/kit-instr-d-SkKt/run/containers/7824d616b5db', 'cgroup /sys/fs/cgroup/memory/kit/7824d616b5db /sys/fs/cgroup/memory/kit'] }],
  network: {
    what: 'the shared kit0 network (/run/kit-net/journal)',
    changes: ['link-delete kit0', 'iptables-delete filter INPUT -i kit0 -d 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -m comment --comment kit -j DROP'],
  },
};

test.each([[80], [60]])('kit reset --dry-run at %i columns: every journaled change fits, a long one goes on indented under it', (width) => {
  const text = renderReset(plan, 'would undo', width);
  const lines = text.split('\n');
  expect(lines.filter((l) => l.length > width)).toEqual([]);
  expect(lines[0]).toBe('would undo container kitinstrz (7824d616b5db, running)');
  expect(lines).toContain('  link-delete kit0');
  const at = lines.findIndex((l) => l.startsWith('  iptables-delete filter INPUT'));
  expect(lines[at + 1]).toMatch(/^ {6}\S/);
  expect(text.replace(/\s+/g, ' ')).toContain(plan.network.changes[1]);
});

test('nothing to undo says so; a kept network says why', () => {
  expect(renderReset({ containers: [], network: { what: 'x', changes: [] } }, 'undid', 80)).toMatch(/^nothing to undo/);
  expect(renderReset({ containers: [], network: { what: 'the shared kit0 network', changes: ['link-delete kit0'], keptBecause: 'a container of another kit root has an address on kit0' } }, 'undid', 60)).toMatch(/^kept the shared kit0 network: a container of another kit\n {2}root has an address on kit0$/);
});
