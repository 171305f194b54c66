import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KitError } from '../errors';
import type { HostChanges } from '../host/journal';
import { isAlive, self, type ProcessRef } from '../host/process';
import { NET_STATE_DIR } from './config';
import { formatSubnet, hostAddresses, type Subnet } from './subnet';

/**
 * IPAM (IP address management): which container has which address on kit0.
 * One lease file per address in /run/kit-net/leases, named after the address
 * and created with O_EXCL, holding the container id and the kit process that
 * owns it. Callers hold the network lock, so two `kit run`s never pick the
 * same free address; a lease whose owner died (kill -9, reboot-less crash) is
 * taken over. Host-global like kit0 itself: every kit root shares the subnet.
 */
export const LEASE_DIR = join(NET_STATE_DIR, 'leases');

export interface Lease {
  address: string;
  id: string;
  owner: ProcessRef;
}

export function allocateAddress(changes: HostChanges, subnet: Subnet, id: string): string {
  mkdirSync(LEASE_DIR, { recursive: true, mode: 0o700 });
  const lease = { id, owner: self() };
  for (const address of hostAddresses(subnet)) {
    const file = join(LEASE_DIR, address);
    const holder = readLease(file);
    if (holder && isAlive(holder.owner)) continue;
    const taken = changes.make({ op: 'lease-release', path: file, id }, () => claim(file, JSON.stringify({ address, ...lease }), holder !== undefined));
    if (taken) return address;
  }
  throw new KitError(`no free address left in ${formatSubnet(subnet)} (every one is leased to a running container)`, 'stop some containers, or use a larger KIT_NET_SUBNET after `kit network prune`');
}

function claim(file: string, content: string, stale: boolean): boolean {
  try {
    writeFileSync(file, content, { flag: stale ? 'w' : 'wx' });
    return true;
  } catch {
    return false;
  }
}

function readLease(file: string): Lease | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Lease;
  } catch {
    return undefined;
  }
}

/** The leases whose kit process is still alive: the containers using kit0 now. */
export function liveLeases(): Lease[] {
  let names: string[] = [];
  try {
    names = readdirSync(LEASE_DIR);
  } catch {
    return [];
  }
  return names.flatMap((name) => readLease(join(LEASE_DIR, name)) ?? []).filter((l) => isAlive(l.owner));
}

/** Undo of a lease: removed only if still this container's (a dead owner's lease may have been taken over). */
export function releaseAddress(path: string, id: string): undefined {
  if (readLease(path)?.id === id) rmSync(path, { force: true });
  return undefined;
}
