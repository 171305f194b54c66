import type { ContainerStep } from './plan';

/**
 * Container steps in the text format kit-init reads (native-rs/src/plan.rs):
 * one step per line, tab-separated fields, `\\`, `\t`, `\n` escaped, and a
 * closing `end` line.
 */
export function encodePlan(steps: ContainerStep[]): string {
  const lines = steps.map((s) => [s.op, ...s.fields].map((f) => escape(String(f))).join('\t'));
  return [...lines, 'end', ''].join('\n');
}

function escape(field: string): string {
  return field.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');
}
