import { spawnSync } from 'node:child_process';
import { KitError } from '../errors';
import type { TraceRecorder } from '../trace/recorder';
import type { OciConfig, OciHook } from './config';

export type HookPoint = keyof NonNullable<OciConfig['hooks']>;

/** When each runs, as the runtime-spec (config.md, "POSIX-platform Hooks") puts it. */
const WHEN: Record<HookPoint, string> = {
  prestart: 'prestart hook (deprecated, run as createRuntime): the container exists, its command has not started',
  createRuntime: 'createRuntime hook: the container exists in its namespaces, before its root switch',
  createContainer: 'createContainer hook',
  startContainer: 'startContainer hook',
  poststart: 'poststart hook: the command has started',
  poststop: 'poststop hook: the container was deleted',
};

/** Hook points kit-runtime runs in the runtime's namespace (the host's); the other two would run inside the container. */
export const HOST_HOOKS: readonly HookPoint[] = ['prestart', 'createRuntime', 'poststart', 'poststop'];

/**
 * Run the hooks of one point in order, as runc does: each is a host program
 * (path, with args[0] as its argv[0]), its environment exactly `env`, the
 * container's state JSON on its stdin, killed after `timeout` seconds. Each
 * shows in the trace as the command it is. A failure throws a KitError
 * naming the hook (for poststop the caller only warns, as runc does).
 */
export function runHooks(trace: TraceRecorder, hooks: OciHook[] | undefined, point: HookPoint, state: Record<string, unknown>): void {
  for (const [i, hook] of (hooks ?? []).entries()) {
    const args = hook.args ?? [hook.path];
    const start = process.hrtime.bigint();
    const r = spawnSync(hook.path, args.slice(1), {
      argv0: args[0],
      input: JSON.stringify(state),
      env: Object.fromEntries((hook.env ?? []).map((e) => [e.slice(0, e.indexOf('=') >>> 0), e.slice(e.indexOf('=') + 1)])),
      encoding: 'utf8',
      timeout: hook.timeout ? hook.timeout * 1000 : undefined,
      killSignal: 'SIGKILL',
      cwd: '/',
    });
    // A hook that exits without reading its stdin makes the write fail with
    // EPIPE: its exit status still says how it went (runc ignores it too).
    const error = (r.error as NodeJS.ErrnoException | undefined)?.code === 'EPIPE' ? undefined : r.error;
    const status = error ? 127 : (r.status ?? 128);
    const problem = error ? error.message : r.signal ? `killed by ${r.signal}${hook.timeout ? ` (timeout ${hook.timeout}s)` : ''}` : status !== 0 ? `exit ${status}: ${r.stderr.trim().split('\n')[0] ?? ''}` : undefined;
    trace.add({
      syscall: hook.path,
      args: args.slice(1),
      ret: status,
      errno: problem ? 'EXIT' : null,
      errnoMessage: problem ?? null,
      durationUs: Number((process.hrtime.bigint() - start) / 1000n),
      side: 'host',
      step: null,
      pending: false,
      command: true,
      why: `${WHEN[point]}; the container's state on its stdin`,
    });
    if (problem) throw new KitError(`hooks.${point}[${i}] (${hook.path}) failed: ${problem}`, 'fix the hook, or remove it from config.json');
  }
}
