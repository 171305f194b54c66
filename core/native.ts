import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { KitError } from './errors';
import type * as Addon from '../native-rs/kit';

/**
 * The Rust addon (native-rs/src/napi, napi-rs): its exports as `napi build`
 * declares them in native-rs/kit.d.ts, generated from the Rust side, so an
 * export renamed or removed there fails to compile here. Every call returns
 * the syscall's result and leaves a trace event for drainTrace(); a failed
 * syscall throws a NativeSyscallError.
 */
export type NativeAddon = typeof Addon;
export type WaitResult = Addon.WaitResult;
/** A step kit-init runs (native-rs/src/plan.rs), without kit's why. */
export type NativeContainerStep = Addon.ContainerStep;
/** A call a `try` step attempts. */
export type NativeAttempt = Addon.Attempt;

/** What the addon throws when a syscall fails, shaped like Node's own errors. */
export interface NativeSyscallError extends Error {
  /** The errno name: 'ENOENT'. */
  code: string;
  /** The errno value (positive, as errno(3) has it). */
  errno: number;
  /** The call that failed: 'mount'. */
  syscall: string;
}

/** By shape, not `instanceof Error`: the addon's errors come from Node's main realm, which a vm context (jest) does not share. */
export function isNativeSyscallError(err: unknown): err is NativeSyscallError {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as Partial<NativeSyscallError>;
  return typeof e.message === 'string' && typeof e.errno === 'number' && typeof e.syscall === 'string' && typeof e.code === 'string';
}

/**
 * native-rs/ of kit's package: this file is core/native.ts (tests run the
 * TypeScript sources), dist/core/native.js (tsc's output) or part of
 * dist/kit.js (the bundled CLI).
 */
const nativeDir = [join(__dirname, '..', 'native-rs'), join(__dirname, '..', '..', 'native-rs')].find((d) => existsSync(join(d, 'kit.node'))) ?? join(__dirname, '..', '..', 'native-rs');
let addon: NativeAddon | undefined;

const rebuild = 'run `npm install` (or `npm run build`) in the kit directory';

export function native(): NativeAddon {
  if (addon) return addon;
  const file = join(nativeDir, 'kit.node');
  if (!existsSync(file)) throw new KitError(`kit's native addon is missing (${file})`, rebuild);
  try {
    addon = require(file) as NativeAddon;
  } catch (err) {
    throw new KitError(`kit's native addon could not be loaded: ${(err as Error).message.split('\n')[0]}`, `it may be built for another Node; ${rebuild}`);
  }
  return addon;
}

/** The container-side helper binary (native-rs/src/init). */
export function initPath(): string {
  const file = join(nativeDir, 'kit-init');
  if (!existsSync(file)) throw new KitError(`kit-init is missing (${file})`, rebuild);
  return file;
}
