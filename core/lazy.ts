/**
 * A function of a module loaded on its first call. The public entry point
 * (core/index.ts) lists everything bin/ may use, but one command uses a
 * few: `kit run` never reads an image archive or an OCI bundle, so those
 * modules (and zod, their schemas' library) load only when called, and a
 * command starts sooner.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function lazy<M, K extends keyof M>(load: () => M, name: K): M[K] {
  return ((...args: unknown[]) => (load()[name] as (...a: unknown[]) => unknown)(...args)) as M[K];
}
