import type { ContainerSpec } from '../spec';
import type { PlanPart } from './plan';

/** In its own UTS namespace the container can have its own hostname. */
export function planHostname(spec: ContainerSpec, id: string): PlanPart {
  if (!spec.namespaces.includes('uts')) return {};
  const name = spec.hostname ?? id.slice(0, 12);
  return {
    container: [{ op: 'sethostname', fields: [name], why: 'change the hostname: only this UTS namespace sees it' }],
  };
}
