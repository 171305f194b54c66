import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { KitError } from '../core';
import type { Lab } from './lab';

/**
 * The labs: every folder here with a check module is one, found by reading
 * the folder, so adding a lab is adding a folder.
 */
export function loadLabs(): Lab[] {
  return readdirSync(__dirname, { withFileTypes: true })
    .filter((d) => d.isDirectory() && ['check.js', 'check.ts'].some((f) => existsSync(join(__dirname, d.name, f))))
    .map((d) => (require(join(__dirname, d.name, 'check')) as { default: Lab }).default)
    .sort((a, b) => a.order - b.order);
}

export function findLab(id: string): Lab {
  const labs = loadLabs();
  const lab = labs.find((l) => l.id === id);
  if (!lab) throw new KitError(`no lab '${id}'`, `valid labs: ${labs.map((l) => l.id).join(', ')} (list them with \`kit lab\`)`);
  return lab;
}
