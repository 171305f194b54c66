import { Flags } from '@oclif/core';
import { terminalWidth } from '../../core';
import type { Pacing } from '../render/live';
import type { StreamView } from '../render/run-stream';

/** How a run is shown, live or replayed: width and pace, for a terminal or a projector. */
export const viewFlags = {
  width: Flags.integer({ min: 20, max: 1000, description: 'fit the output to N columns (default: the terminal\'s width, or COLUMNS)' }),
  pace: Flags.boolean({ default: false, description: 'pause 2 seconds before each section (for a live demo)' }),
  step: Flags.boolean({ default: false, description: 'wait for Enter before each section' }),
  big: Flags.boolean({ default: false, description: 'for a projector: blank lines between steps, banner headings, no dim text' }),
};

/** Seconds --pace pauses. */
const PACE_SECONDS = 2;

/**
 * The width to fit: --width, else COLUMNS, else the terminal's; output
 * piped with none of them is not cut (Infinity).
 */
export function outputWidth(flag: number | undefined, env: NodeJS.ProcessEnv = process.env, out: NodeJS.WriteStream = process.stdout): number {
  return flag || terminalWidth(env, out);
}

export function streamView(flags: { width?: number; big: boolean; explain?: boolean; trace?: boolean }): StreamView {
  return { width: outputWidth(flags.width), big: flags.big, explain: flags.explain ?? false, trace: flags.trace ?? true };
}

export function pacing(flags: { pace: boolean; step: boolean }): Pacing {
  return { pace: flags.pace ? PACE_SECONDS : 0, step: flags.step };
}
