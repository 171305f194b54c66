import { native } from '../../core/native';
import type { ContainerStep } from '../../core/plan';

/**
 * The plan on the control socket is written by the addon from native-rs's
 * ContainerStep (src/plan.rs), the type kit-init reads it back into: one
 * JSON object per line, closed by `end`.
 */
test('each step is one line, closed by `end`; a newline in a field cannot end the plan early', () => {
  const steps: ContainerStep[] = [
    { op: 'sethostname', name: 'box', why: 'not sent' },
    { op: 'write', path: '/f', data: 'a\nend\nb', why: '' },
    { op: 'exec', path: '/bin/sh', argv: ['sh', '-c\techo\\'], env: ['PATH=/bin'], why: '' },
  ];
  const lines = native().encodePlan(steps).split('\n');
  expect(lines).toHaveLength(5);
  expect(lines.slice(3)).toEqual(['end', '']);
  expect(lines[0]).not.toContain('not sent');
  expect(JSON.parse(lines[1])).toMatchObject({ data: 'a\nend\nb' });
  expect(JSON.parse(lines[2])).toMatchObject({ argv: ['sh', '-c\techo\\'], env: ['PATH=/bin'] });
  expect(native().encodePlan([])).toBe('end\n');
});

test('a step kit-init does not know is refused before anything starts', () => {
  const bogus = [{ op: 'reboot', why: '' }] as unknown as ContainerStep[];
  expect(() => native().encodePlan(bogus)).toThrow(/reboot/);
  const missing = [{ op: 'mount', target: '/proc', why: '' }] as unknown as ContainerStep[];
  expect(() => native().encodePlan(missing)).toThrow();
});
