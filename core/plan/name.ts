import { claimName } from '../engine/names';
import type { ContainerSpec } from '../spec';
import type { PlanPart } from './plan';

/** A named container reserves its name first: taken, nothing else is made. */
export function planName(spec: ContainerSpec): PlanPart {
  const name = spec.name;
  if (name === undefined) return {};
  return {
    prepare: [
      {
        why: `reserve the name "${name}" so kit ps, kit exec ${name}, kit stop ${name} find this container`,
        run: (ctx) => claimName(ctx.paths, name, ctx.id, ctx.changes),
      },
    ],
  };
}
