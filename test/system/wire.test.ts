import { runContainer } from '../../core';
import { encodePlan } from '../../core/plan/wire';
import { kitPaths } from '../../core/paths';
import { requireRoot, tempKitRoot } from '../support/kit';

test('encodePlan writes the format of the Rust parser: tab-separated, escaped, closed by `end`', () => {
  const text = encodePlan([
    { op: 'sethostname', fields: ['box'], why: '' },
    { op: 'exec', fields: ['/bin/sh', 2, 'sh', '-c\techo\\'], why: '' },
  ]);
  // The same bytes native-rs/src/plan.rs parses in its `parses_steps_with_escapes` test.
  expect(text).toBe('sethostname\tbox\nexec\t/bin/sh\t2\tsh\t-c\\techo\\\\\nend\n');
});

test('a newline in a field cannot end the step or the plan early', () => {
  expect(encodePlan([{ op: 'write', fields: ['/f', 'a\nend\nb'], why: '' }])).toBe('write\t/f\ta\\nend\\nb\nend\n');
  expect(encodePlan([])).toBe('end\n');
});

test('kit-init receives every argument byte for byte, awkward characters and empty ones included', async () => {
  requireRoot();
  const kr = tempKitRoot();
  try {
    const args = ['tab\there', 'new\nline', 'back\\slash', '\\t literally', '', 'end', 'ünïcødé'];
    const r = await runContainer(
      { command: ['/bin/sh', '-c', 'for a in "$@"; do printf "[%s]" "$a"; done', 'sh', ...args], env: [], namespaces: [] },
      { paths: kitPaths({ KIT_ROOT: kr.root }) },
    );
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(args.map((a) => `[${a}]`).join(''));
  } finally {
    kr.cleanup();
  }
});
