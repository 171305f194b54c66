import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MS } from '../linux';
import { etcFiles } from '../network/etc-files';
import { containerDir, type KitPaths } from '../paths';
import type { ContainerSpec } from '../spec';
import { containerHostname } from './hostname';
import type { NetworkAttachment } from './network';
import type { PlanPart } from './plan';

/**
 * /etc/hostname, /etc/hosts and /etc/resolv.conf for a container with a
 * network of its own: written in the container's state dir (removed with
 * it), then bind-mounted over the container's /etc files by kit-init, as
 * Docker does. The mounts are made in the container's private mount
 * namespace: the host's own files are never touched. `root` is where the
 * container's / is when the bind mounts are made.
 */
export function planNetworkFiles(spec: ContainerSpec, id: string, paths: KitPaths, attachment: NetworkAttachment, root = '/'): PlanPart {
  if ((spec.network !== 'bridge' && spec.network !== 'none') || !spec.namespaces.includes('mount')) return {};
  const dir = containerDir(paths, id);
  const names = (['hostname', 'hosts', 'resolv.conf'] as const).filter((name) => existsSync(join(root, 'etc', name)));
  return {
    prepare: [
      {
        why: "write the container's /etc/hostname, /etc/hosts and /etc/resolv.conf in its state dir",
        run: () => {
          const files = etcFiles(containerHostname(spec, id), attachment.address);
          for (const name of names) writeFileSync(join(dir, name), files[name]);
        },
      },
    ],
    container: names.map((name) => ({
      op: 'mount',
      fields: [join(dir, name), join(root, 'etc', name), '', MS.BIND, ''],
      why: `bind-mount kit's ${name} over /etc/${name}, in the container's mount namespace only`,
    })),
  };
}
