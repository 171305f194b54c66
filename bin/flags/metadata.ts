import { Flags } from '@oclif/core';
import { KitError, parseSignal, type ContainerSpec } from '../../core';

/**
 * docker run flags that describe the container rather than isolate it: its
 * labels, and how `kit stop` ends it.
 */
export const metadataFlags = {
  label: Flags.string({
    char: 'l',
    multiple: true,
    multipleNonGreedy: true,
    helpValue: 'KEY=VALUE',
    description: 'metadata on the container, shown by kit inspect (Config.Labels) and matched by kit ps --filter label=KEY[=VALUE] (docker run --label)',
  }),
  'stop-signal': Flags.string({ helpValue: 'SIGNAL', description: 'what kit stop sends first instead of SIGTERM, e.g. SIGQUIT or 3 (docker run --stop-signal)' }),
  'stop-timeout': Flags.string({ helpValue: 'SECONDS', description: 'how long kit stop waits after the stop signal before SIGKILL (default 10; docker run --stop-timeout)' }),
};

export function metadataSpec(flags: { label?: string[]; 'stop-signal'?: string; 'stop-timeout'?: string }): Pick<ContainerSpec, 'labels' | 'stopSignal' | 'stopTimeout'> {
  const spec: Pick<ContainerSpec, 'labels' | 'stopSignal' | 'stopTimeout'> = {};
  if (flags.label?.length) spec.labels = Object.fromEntries(flags.label.map(parseLabel));
  if (flags['stop-signal'] !== undefined) {
    try {
      parseSignal(flags['stop-signal']);
    } catch {
      throw new KitError(`bad --stop-signal '${flags['stop-signal']}'`, 'give a signal name (TERM, QUIT, INT, USR1...) or a number from 1 to 64');
    }
    spec.stopSignal = flags['stop-signal'];
  }
  if (flags['stop-timeout'] !== undefined) {
    if (!/^\d{1,6}$/.test(flags['stop-timeout'])) throw new KitError(`bad --stop-timeout '${flags['stop-timeout']}'`, 'give whole seconds, e.g. --stop-timeout 30');
    spec.stopTimeout = Number(flags['stop-timeout']);
  }
  return spec;
}

/** KEY=VALUE, or KEY alone (an empty value), as docker run --label takes them. */
export function parseLabel(text: string): [string, string] {
  const eq = text.indexOf('=');
  const key = eq === -1 ? text : text.slice(0, eq);
  if (!key || /\s/.test(key)) throw new KitError(`bad --label '${text}'`, 'use KEY=VALUE (a key without spaces), e.g. --label tier=web');
  return [key, eq === -1 ? '' : text.slice(eq + 1)];
}
