import { CAPABILITIES } from '../security/capabilities';
import { RLIMITS } from '../plan/process-limits';
import { HOST_HOOKS } from './hooks';
import { OCI_VERSION } from './version';

/**
 * `kit-runtime features`: what this runtime implements, in the runtime-spec's
 * features.md shape (what containerd and podman ask before using a
 * feature). Only what kit-runtime really applies is listed.
 */
export function runtimeFeatures(): Record<string, unknown> {
  return {
    ociVersionMin: '1.0.0',
    ociVersionMax: OCI_VERSION,
    hooks: [...HOST_HOOKS],
    mountOptions: ['bind', 'rbind', 'ro', 'rw', 'rprivate', 'private', 'nosuid', 'nodev', 'noexec'],
    linux: {
      namespaces: ['pid', 'network', 'mount', 'ipc', 'uts', 'cgroup', 'user', 'time'],
      capabilities: CAPABILITIES.map((c) => `CAP_${c}`),
      cgroup: { v1: true, v2: true, systemd: false, systemdUser: false },
      seccomp: { enabled: true, actions: ['SCMP_ACT_ALLOW', 'SCMP_ACT_ERRNO', 'SCMP_ACT_KILL', 'SCMP_ACT_KILL_PROCESS', 'SCMP_ACT_KILL_THREAD', 'SCMP_ACT_LOG', 'SCMP_ACT_TRACE'] },
      apparmor: { enabled: false },
      selinux: { enabled: false },
      rlimits: Object.keys(RLIMITS),
    },
    annotations: { 'org.kit.runtime': 'kit-runtime' },
  };
}
