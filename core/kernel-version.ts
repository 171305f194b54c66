import { release } from 'node:os';

/**
 * Whether a kernel release is at least a version: "6.1.0-13-amd64" >= "4.8".
 * Features kit uses or describes appeared in a known release (overlayfs'
 * volatile in 5.10, idmapped lower layers in 5.19, syscalls in Docker's
 * seccomp profile by version).
 */
export function kernelAtLeast(kernel: string, minimum: string): boolean {
  const parts = (v: string) => v.split(/[.-]/).slice(0, 2).map((n) => parseInt(n, 10) || 0);
  const [a, b] = [parts(kernel), parts(minimum)];
  return a[0] !== b[0] ? a[0] > b[0] : a[1] >= b[1];
}

/** Whether the running kernel is at least `minimum` ("5.10"). */
export function runningKernelAtLeast(minimum: string): boolean {
  return kernelAtLeast(release(), minimum);
}
