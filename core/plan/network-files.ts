import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MS } from '../linux';
import { etcFiles, hostNetworkFiles } from '../network/etc-files';
import { containerDir, type KitPaths } from '../paths';
import { hasNamespace, type ContainerSpec } from '../spec';
import { fileInRoot } from '../storage/in-root';
import { containerHostname } from './hostname';
import type { NetworkAttachment } from './network';
import { sharedContainer } from './shared-container';
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
 *
 * --network host (with an image): copies of the host's files (hostNetworkFiles),
 * --add-host and --dns applied, as Docker does. --network container:NAME:
 * that container's own files are mounted, so both see the same hostname, hosts
 * and nameservers (Docker shares them; it refuses -h, --add-host and --dns there).
 */
const NAMES = ['hostname', 'hosts', 'resolv.conf'] as const;

export function planNetworkFiles(spec: ContainerSpec, id: string, paths: KitPaths, attachment: NetworkAttachment, rootfs?: string): PlanPart {
  if (!spec.network || !hasNamespace(spec, 'mount')) return {};
  const dir = containerDir(paths, id);
  if (spec.network === 'host') {
    if (!rootfs) return {}; // the host's own /etc is already what it sees
    return mountFiles(dir, [...NAMES], rootfs, "write the container's /etc/hostname, /etc/hosts and /etc/resolv.conf in its state dir: copies of the host's (--network host), with --add-host and --dns", () => hostNetworkFiles(spec));
  }
  if (spec.network.startsWith('container:')) {
    if (!rootfs) return {};
    const other = sharedContainer(spec.network.slice('container:'.length), paths);
    const shared = containerDir(paths, other.id);
    const names = NAMES.filter((name) => existsSync(join(shared, name))); // its hostname too: planHostname names this one as that one
    return mountFiles(shared, names, rootfs, `the container's /etc files are those of container ${other.name}, whose network it joins`);
  }
  const root = rootfs ?? '/';
  const names = NAMES.filter((name) => rootfs || existsSync(join(root, 'etc', name)));
  return mountFiles(dir, names, rootfs, "write the container's /etc/hostname, /etc/hosts and /etc/resolv.conf in its state dir", () => etcFiles(containerHostname(spec, id), attachment.address, spec));
}

/**
 * Bind-mount `names` from `dir` over the container's /etc files; `write`
 * makes them first (in the container's state dir). The targets are made in
 * the container's own layer if the image lacks them.
 */
function mountFiles(dir: string, names: Array<(typeof NAMES)[number]>, rootfs: string | undefined, why: string, write?: () => Record<(typeof NAMES)[number], string>): PlanPart {
  const root = rootfs ?? '/';
  const mounts: Array<StepOf<'mount'>> = names.map((name) => ({
    op: 'mount',
    source: join(dir, name), target: join(root, 'etc', name), fstype: '', flags: MS.BIND, data: '',
    why: `bind-mount ${write ? "kit's" : 'its'} ${name} over /etc/${name}, in the container's mount namespace only`,
  }));
  return {
    prepare: [
      {
        why,
        run: () => {
          const files = write?.();
          if (files) for (const name of names) writeFileSync(join(dir, name), files[name]);
          // The target is the file as resolved inside the root (an image's /etc may be a
          // symlink): the kernel would follow that link from the host's / at mount time.
          if (rootfs) names.forEach((name, i) => (mounts[i].target = fileInRoot(rootfs, `/etc/${name}`)));
        },
      },
    ],
    container: mounts,
  };
}
