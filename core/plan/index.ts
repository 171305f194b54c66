import { kitPaths, type KitPaths } from '../paths';
import type { ContainerSpec } from '../spec';
import { planCgroupNamespace } from './cgroupns';
import { planExec } from './exec';
import { planHostname } from './hostname';
import { planMountPropagation } from './mount-propagation';
import { planNamespaces } from './namespaces';
import { planNetwork, type NetworkAttachment } from './network';
import { planNetworkFiles } from './network-files';
import { addPart, emptyPlan, type Plan, type PlanPart } from './plan';
import { planProc } from './proc';

export type { Plan, PlanPart, HostStep, ContainerStep, HostContext } from './plan';

/**
 * spec -> plan. Each part of kit adds its steps; the order here is the order
 * they run in, and so the order of the trace.
 */
export function buildPlan(spec: ContainerSpec, id: string, paths: KitPaths = kitPaths()): Plan {
  const network: NetworkAttachment = {};
  const parts: PlanPart[] = [
    planNamespaces(spec),
    planNetwork(spec, paths, network),
    planMountPropagation(spec),
    planNetworkFiles(spec, id, paths, network),
    planHostname(spec, id),
    planProc(spec),
    planCgroupNamespace(spec),
    planExec(spec),
  ];
  return parts.reduce(addPart, emptyPlan());
}
