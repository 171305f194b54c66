import { wrapHanging, type ResetItem, type ResetPlan } from '../../core';

/** `kit reset` (and --dry-run): each container and the shared network, every journaled change under it, fitted to the width. */
export function renderReset(plan: ResetPlan, verb: string, width: number): string {
  const lines: string[] = [];
  const item = (it: ResetItem) => {
    lines.push(...wrapHanging(`${verb} ${it.what}`, width));
    for (const change of it.changes) lines.push(...wrapHanging(`  ${change}`, width, 4));
  };
  plan.containers.forEach(item);
  if (plan.network.keptBecause) lines.push(...wrapHanging(`kept ${plan.network.what}: ${plan.network.keptBecause}`, width));
  else if (plan.network.changes.length) item(plan.network);
  if (plan.containers.length === 0 && plan.network.changes.length === 0) lines.push(...wrapHanging('nothing to undo: kit has no container and no network on this host for this kit root', width));
  return lines.join('\n');
}
