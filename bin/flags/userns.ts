import { Flags } from '@oclif/core';
import { KitError, parseMapFlag, type ContainerSpec, type UsernsMode } from '../../core';

/**
 * docker run --userns (dockerd's userns-remap, per container), and podman's
 * --uidmap/--gidmap for a map of one's own. Without them, as root, the
 * container shares the host's user namespace (its root is the host's root,
 * as with Docker's default); without root, it gets one mapping the user
 * to 0, as rootless podman does.
 */
export const usernsFlags = {
  userns: Flags.string({
    options: ['host', 'auto'],
    helpGroup: 'SECURITY',
    description: "host: the host's user namespace (default); auto: a user namespace of its own, its root the first uid of the `kit` user's range in /etc/subuid (made if missing)",
  }),
  uidmap: Flags.string({ multiple: true, multipleNonGreedy: true, helpGroup: 'SECURITY', helpValue: 'CTR:HOST:COUNT', description: 'a user namespace with this uid map (podman\'s syntax), e.g. 0:100000:65536' }),
  gidmap: Flags.string({ multiple: true, multipleNonGreedy: true, helpGroup: 'SECURITY', helpValue: 'CTR:HOST:COUNT', description: 'its gid map (default: the same as --uidmap)' }),
};

export function usernsSpec(flags: { userns?: string; uidmap?: string[]; gidmap?: string[] }, namespaces: ContainerSpec['namespaces']): Pick<ContainerSpec, 'namespaces' | 'userns'> {
  const maps = flags.uidmap?.length || flags.gidmap?.length;
  if (maps && flags.userns === 'host') throw new KitError('--userns=host and --uidmap/--gidmap contradict each other', 'leave out --userns=host to use the maps');
  if (maps && flags.userns === 'auto') throw new KitError('--userns=auto picks the map itself: it does not take --uidmap/--gidmap', 'use one or the other');
  // Without root, as rootless podman: a user namespace mapping the user to 0, unless --userns=host says otherwise.
  if (!maps && !flags.userns && process.getuid?.() !== 0) return { namespaces: [...namespaces.filter((n) => n !== 'user'), 'user'], userns: 'self' };
  if (!maps && flags.userns !== 'auto') return { namespaces };
  const userns: UsernsMode = maps ? explicitMaps(flags.uidmap, flags.gidmap) : 'auto';
  return { namespaces: namespaces.includes('user') ? namespaces : [...namespaces, 'user'], userns };
}

function explicitMaps(uidmap: string[] | undefined, gidmap: string[] | undefined): UsernsMode {
  if (!uidmap?.length) throw new KitError('--gidmap needs a --uidmap too', 'for example --uidmap 0:100000:65536 --gidmap 0:100000:65536');
  const uid = parseMapFlag('--uidmap', uidmap);
  return { uid, gid: gidmap?.length ? parseMapFlag('--gidmap', gidmap) : uid };
}
