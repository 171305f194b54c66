import { MASKED_PATHS, READ_ONLY_PATHS } from '../plan/masked-paths';
import { DOCKER_DEFAULT_CAPS } from '../security/capabilities';
import { DEFAULT_PATH } from '../spec';
import type { OciConfig } from './config';
import { OCI_VERSION } from './version';

export { OCI_VERSION };

/**
 * What `kit runtime spec` writes, like `runc spec`: busybox's sh in rootfs/,
 * Docker's default capabilities, new pid, network, ipc, uts, mount and
 * cgroup namespaces, the standard mounts, runc's masked paths. Unlike runc's
 * it has no terminal (kit-runtime has no --console-socket yet), no rlimits,
 * no mqueue or cgroup mount and a writable root: what kit-runtime cannot apply yet is left out, so the
 * file runs as written.
 */
export function defaultOciConfig(): OciConfig {
  const caps = DOCKER_DEFAULT_CAPS.map((c) => `CAP_${c}`);
  return {
    ociVersion: OCI_VERSION,
    process: {
      terminal: false,
      user: { uid: 0, gid: 0 },
      args: ['sh'],
      env: [DEFAULT_PATH, 'TERM=xterm'],
      cwd: '/',
      capabilities: { bounding: caps, effective: caps, permitted: caps },
      noNewPrivileges: true,
    },
    root: { path: 'rootfs', readonly: false },
    hostname: 'kit',
    mounts: [
      { destination: '/proc', type: 'proc', source: 'proc' },
      { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
      { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
      { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
      { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
    ],
    linux: {
      namespaces: ['pid', 'network', 'ipc', 'uts', 'mount', 'cgroup'].map((type) => ({ type: type as 'pid' })),
      maskedPaths: [...MASKED_PATHS],
      readonlyPaths: [...READ_ONLY_PATHS],
    },
  };
}
