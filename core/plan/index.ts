import type { ContainerSpec } from '../spec';
import { planCgroupNamespace } from './cgroupns';
import { planExec } from './exec';
import { planHostname } from './hostname';
import { planMountPropagation } from './mount-propagation';
import { planName } from './name';
import { planNamespaces } from './namespaces';
import { addPart, emptyPlan, type Plan, type PlanPart } from './plan';
import { planProc } from './proc';

export type { Plan, PlanPart, HostStep, ContainerStep, HostContext } from './plan';

/**
 * spec -> plan. Each part of kit adds its steps; the order here is the order
 * they run in, and so the order of the trace.
 */
export function buildPlan(spec: ContainerSpec, id: string): Plan {
  const parts: PlanPart[] = [
    planName(spec),
    planNamespaces(spec),
    planMountPropagation(spec),
    planHostname(spec, id),
    planProc(spec),
    planCgroupNamespace(spec),
    planExec(spec),
  ];
  return parts.reduce(addPart, emptyPlan());
}
