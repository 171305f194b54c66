import { runContainer } from '../../core';
import { kitPaths } from '../../core/paths';
import { requireRoot, tempKitRoot } from '../support/kit';

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
