import type { NativeSyscallError } from '../../core/native';

/** An error shaped as the addon throws it for a failed syscall (native-rs/src/napi/error.rs). */
export function nativeError(syscall: string, code: string, errno: number, message = code): NativeSyscallError {
  return Object.assign(new Error(`${syscall}: ${code} (${message})`), { code, errno, syscall });
}
