import { KitError } from '../errors';
import type { KitPaths } from '../paths';
import type { ContainerSpec } from '../spec';
import { sharedContainer } from './shared-container';
import type { ContainerStep, PlanPart } from './plan';

/**
 * In its own UTS namespace the container can have its own hostname. One that
 * joins another's network (--network container:NAME) takes that container's
 * name, as Docker does: the two look like one host from inside.
 */
export function planHostname(spec: ContainerSpec, id: string, paths: KitPaths): PlanPart {
  if (!spec.namespaces.includes('uts')) return {};
  if (spec.hostname !== undefined) checkHostname(spec.hostname);
  const other = spec.hostname === undefined && spec.network?.startsWith('container:') ? sharedContainer(spec.network.slice('container:'.length), paths) : undefined;
  const name = other ? containerHostname(other.spec, other.id) : containerHostname(spec, id);
  const why = other ? `change the hostname to that of container ${other.name}, whose network it joins (as Docker): only this UTS namespace sees it` : 'change the hostname: only this UTS namespace sees it';
  return { container: [{ op: 'sethostname', name, why }, ...domainnameSteps(spec)] };
}

/**
 * docker run --domainname: the UTS namespace's other name (uname's NIS
 * domain), written to /proc/sys/kernel/domainname, which is per UTS
 * namespace: the host keeps its own.
 */
function domainnameSteps(spec: ContainerSpec): ContainerStep[] {
  if (spec.domainname === undefined) return [];
  return [{ op: 'write', path: '/proc/sys/kernel/domainname', data: spec.domainname, why: "--domainname: set the NIS domain name of the container's own UTS namespace" }];
}

/** The container's hostname: its own, or the start of its id (as Docker does). */
export function containerHostname(spec: ContainerSpec, id: string): string {
  return spec.hostname ?? id.slice(0, 12);
}

/**
 * A hostname is a DNS name (RFC 1123: letters, digits, dashes, dots between
 * labels) of at most 64 bytes, the kernel's limit. It is written into the
 * container's /etc/hostname and /etc/hosts: a newline in it would add a line
 * of its own there (a hosts entry pointing a name anywhere).
 */
function checkHostname(name: string): void {
  if (!/^[A-Za-z0-9]([A-Za-z0-9_-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9_-]*[A-Za-z0-9])?)*$/.test(name) || name.length > 64) {
    const shown = JSON.stringify(name.length > 70 ? `${name.slice(0, 64)}...` : name);
    throw new KitError(`invalid hostname ${shown}: a hostname is letters, digits, dashes and underscores, with dots between labels, at most 64 characters`, 'e.g. -h web-1 or -h db.example.org');
  }
}
