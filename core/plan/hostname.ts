import type { ContainerSpec } from '../spec';
import type { PlanPart } from './plan';

/** In its own UTS namespace the container can have its own hostname. */
export function planHostname(spec: ContainerSpec, id: string): PlanPart {
  if (!spec.namespaces.includes('uts')) return {};
  const name = containerHostname(spec, id);
  return {
    container: [{ op: 'sethostname', name, why: 'change the hostname: only this UTS namespace sees it' }],
  };
}

/** The container's hostname: its own, or the start of its id (as Docker does). */
export function containerHostname(spec: ContainerSpec, id: string): string {
  return spec.hostname ?? id.slice(0, 12);
}
