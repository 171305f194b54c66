import { spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { kit, type tempKitRoot } from './kit';

/** What `kit runtime path` prints: the native fast path (native-rs/src/runtime), which execs bin/kit-runtime.js for all but start and delete. */
export const RUNTIME = resolve(__dirname, '../../native-rs/kit-runtime');

/**
 * kit-runtime driven by hand, as runc is: bundles made from the host's
 * static busybox and `kit runtime spec`, the verbs run with --root in the
 * test's kit root.
 */
export function ociHarness(kr: ReturnType<typeof tempKitRoot>) {
  /** A bundle: busybox as rootfs/bin, config.json from `kit runtime spec`, changed by `edit`. */
  function makeBundle(name: string, edit: (config: Record<string, any>) => void, applets = ['sh', 'echo', 'hostname', 'cat']): string {
    const dir = join(kr.root, name);
    mkdirSync(join(dir, 'rootfs', 'bin'), { recursive: true });
    copyFileSync('/bin/busybox', join(dir, 'rootfs', 'bin', 'busybox'));
    for (const applet of applets) spawnSync('ln', ['-s', 'busybox', join(dir, 'rootfs', 'bin', applet)]);
    const spec = kit(['runtime', 'spec', dir], kr.env);
    if (spec.status !== 0 || spec.stderr) throw new Error(`kit runtime spec: ${spec.stderr}`);
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    edit(config);
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    return dir;
  }

  function runtime(args: string[], input?: string) {
    return spawnSync(RUNTIME, ['--root', kr.root, ...args], { encoding: 'utf8', env: kr.env, timeout: 60_000, input });
  }

  /** create with the container's stdio on a file: the container keeps it open after create exits. */
  function create(bundle: string, id: string, extra: string[] = []) {
    const output = join(kr.root, `${id}.out`);
    const fd = openSync(output, 'w');
    try {
      const r = spawnSync(RUNTIME, ['--root', kr.root, 'create', '--bundle', bundle, ...extra, id], { env: kr.env, stdio: ['ignore', fd, fd], timeout: 60_000 });
      return { status: r.status, output: () => readFileSync(output, 'utf8') };
    } finally {
      closeSync(fd);
    }
  }

  const state = (id: string) => JSON.parse(runtime(['state', id]).stdout);

  /** What a failed test left: its init would wait on exec.fifo for ever. */
  function deleteAll() {
    for (const id of runtime(['list', '--quiet']).stdout.split('\n').filter(Boolean)) runtime(['delete', '--force', id]);
  }

  return { makeBundle, runtime, create, state, deleteAll };
}

export async function until(check: () => boolean, tries = 400): Promise<boolean> {
  for (let i = 0; i < tries && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  return check();
}
