import { KitError } from '../../core';

/**
 * Docker's --format, the part of Go templates tutorials use: `{{.Field}}`,
 * nested `{{.State.ExitCode}}`, `{{json .Field}}`, and \t \n escapes. The
 * fields are those of the object given (ps: ID, Names, Status...). An
 * unknown field is one line naming it and the fields there are.
 */
export function renderTemplate(template: string, data: Record<string, unknown>): string {
  const text = template.replace(/\\t/g, '\t').replace(/\\n/g, '\n');
  return text.replace(/\{\{\s*(json\s+)?\.([A-Za-z0-9_.]*)\s*\}\}/g, (_, json: string | undefined, path: string) => {
    const value = lookup(data, path);
    if (json) return JSON.stringify(value ?? null);
    if (value === null || value === undefined) return '<no value>';
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  });
}

/** Refuse a template naming a field the objects do not have, before printing anything. */
export function checkTemplate(template: string, sample: Record<string, unknown>): void {
  for (const [, path] of template.matchAll(/\{\{\s*(?:json\s+)?\.([A-Za-z0-9_.]*)\s*\}\}/g)) {
    if (path === '') continue;
    const parts = path.split('.');
    let at: unknown = sample;
    for (const part of parts) {
      if (at === null || typeof at !== 'object' || !(part in (at as object))) {
        throw new KitError(`--format: no field .${path}`, `fields: ${Object.keys(sample).map((k) => `.${k}`).join(' ')}`);
      }
      at = (at as Record<string, unknown>)[part];
    }
  }
  const stray = template.replace(/\{\{\s*(?:json\s+)?\.([A-Za-z0-9_.]*)\s*\}\}/g, '');
  if (stray.includes('{{')) throw new KitError(`--format: kit understands {{.Field}} and {{json .Field}} only, not '${stray.slice(stray.indexOf('{{')).split('}}')[0]}}}'`, 'e.g. --format "{{.ID}}\\t{{.Status}}"');
}

function lookup(data: unknown, path: string): unknown {
  if (path === '') return data;
  return path.split('.').reduce<unknown>((at, part) => (at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[part] : undefined), data);
}
