import { KitError } from '../errors';
import { CLONE } from '../linux';
import { configureInside, createVeth, loopbackUp, moveIntoContainer } from '../network/endpoint';
import { ensureHostNetwork } from '../network/host-network';
import { allocateAddress } from '../network/ipam';
import { withNetworkLock } from '../network/lock';
import { publishPorts } from '../network/publish';
import type { Subnet } from '../network/subnet';
import type { KitPaths } from '../paths';
import type { ContainerSpec } from '../spec';
import type { PlanPart } from './plan';
import { sharedContainer } from './shared-container';

/** What the network part learns while it runs, for the parts after it (/etc/hosts needs the address). */
export interface NetworkAttachment {
  address?: string;
  subnet?: Subnet;
}

/**
 * docker run --network, as steps:
 * - bridge: clone() with CLONE_NEWNET (the Sandbox); before clone, join kit0
 *   (made if missing), lease an address, publish ports, create the veth
 *   (the Endpoint); after clone, move its end inside; kit-init configures
 *   it there (rtnetlink, before it is confined)
 * - none: CLONE_NEWNET and lo up (by kit-init): a Sandbox with no Endpoint
 * - host: no network namespace at all
 * - container:<name>: kit-init setns()es into that container's netns
 */
export function planNetwork(spec: ContainerSpec, id: string, paths: KitPaths, attachment: NetworkAttachment): PlanPart {
  const mode = spec.network;
  if (!mode) return {};
  if (spec.ports?.length && mode !== 'bridge') throw new KitError(`-p needs --network bridge, not ${mode}`, 'drop -p, or use --network bridge (the default)');
  if (mode !== 'bridge' && mode !== 'none' && spec.namespaces.includes('net')) throw new KitError(`--network ${mode} uses an existing network namespace: the spec must not also ask for a new one`);
  if (mode === 'host') return {};
  if (mode.startsWith('container:')) return joinContainer(mode.slice('container:'.length), paths);
  if (mode === 'none') {
    return { cloneFlags: CLONE.NEWNET, container: [loopbackUp()] };
  }
  const inside = configureInside(id);
  return {
    cloneFlags: CLONE.NEWNET,
    prepare: [
      {
        why: 'join the kit0 network: the bridge and NAT are made once, shared and kept (as docker0 is); this container gets an address and its ports',
        run: (ctx) =>
          withNetworkLock(ctx.trace, () => {
            const { subnet } = ensureHostNetwork(ctx.trace);
            attachment.subnet = subnet;
            attachment.address = allocateAddress(ctx.changes, subnet, ctx.id);
            inside.lease(attachment.address, subnet);
            publishPorts(ctx.trace, ctx.changes, spec.ports ?? [], attachment.address, ctx.id);
          }),
      },
      { why: "the container's endpoint: a veth pair", run: (ctx) => createVeth(ctx.trace, ctx.changes, ctx.id) },
    ],
    attach: [
      {
        why: "wire the veth into the container's network namespace",
        run: (ctx) => moveIntoContainer(ctx.trace, ctx.id, ctx.pid),
      },
    ],
    // Inside, before anything confines kit-init: rtnetlink needs CAP_NET_ADMIN in the namespace.
    container: inside.steps,
  };
}

function joinContainer(name: string, paths: KitPaths): PlanPart {
  const target = sharedContainer(name, paths);
  return {
    container: [
      { op: 'setns', path: `/proc/${target.pid}/ns/net`, nstype: CLONE.NEWNET, why: `join the network namespace of container ${name}: same links, same addresses, same ports` },
    ],
  };
}
