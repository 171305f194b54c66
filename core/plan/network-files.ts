import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MS } from '../linux';
import { etcFiles } from '../network/etc-files';
import { containerDir, type KitPaths } from '../paths';
import type { ContainerSpec } from '../spec';
import { fileInRoot } from '../storage/in-root';
import { containerHostname } from './hostname';
import type { NetworkAttachment } from './network';
import type { PlanPart, StepOf } from './plan';

/**
 * /etc/hostname, /etc/hosts and /etc/resolv.conf for a container with a
 * network of its own: written in the container's state dir (removed with
 * it), then bind-mounted over the container's /etc files by kit-init, as
 * Docker does. The mounts are made in the container's private mount
 * namespace: the host's own files are never touched. `rootfs` is the
 * image's root on the host, when there is one: the files are mounted into
 * it before the root switch (planRootfs places these steps), and made in the
 * container's own layer first if the image lacks them (a bind mount needs a
 * target). Without an image only the host's existing /etc files are covered.
 */
const NAMES = ['hostname', 'hosts', 'resolv.conf'] as const;

export function planNetworkFiles(spec: ContainerSpec, id: string, paths: KitPaths, attachment: NetworkAttachment, rootfs?: string): PlanPart {
  if ((spec.network !== 'bridge' && spec.network !== 'none') || !spec.namespaces.includes('mount')) return {};
  const dir = containerDir(paths, id);
  const root = rootfs ?? '/';
  const names = NAMES.filter((name) => rootfs || existsSync(join(root, 'etc', name)));
  const mounts: Array<StepOf<'mount'>> = names.map((name) => ({
    op: 'mount',
    source: join(dir, name), target: join(root, 'etc', name), fstype: '', flags: MS.BIND, data: '',
    why: `bind-mount kit's ${name} over /etc/${name}, in the container's mount namespace only`,
  }));
  return {
    prepare: [
      {
        why: "write the container's /etc/hostname, /etc/hosts and /etc/resolv.conf in its state dir",
        run: () => {
          const files = etcFiles(containerHostname(spec, id), attachment.address, spec);
          for (const name of names) writeFileSync(join(dir, name), files[name]);
          // The target is the file as resolved inside the root (an image's /etc may be a
          // symlink): the kernel would follow that link from the host's / at mount time.
          if (rootfs) names.forEach((name, i) => (mounts[i].target = fileInRoot(rootfs, `/etc/${name}`)));
        },
      },
    ],
    container: mounts,
  };
}
