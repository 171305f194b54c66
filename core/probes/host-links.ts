import { commandOutput, firstLines } from './command';
import type { Probe } from './probe';

/**
 * The host's network links (`ip -br link`), which any user may read: what a
 * container in a network namespace of its own does not see. First line:
 * how many there are.
 */
export const hostLinks: Probe = {
  id: 'host-links',
  title: "the host's links (ip -br link)",
  run: () => {
    const text = commandOutput(['ip', '-br', 'link']);
    const count = text.split('\n').filter((l) => l.trim()).length;
    return { text: [`${count} links on the host`, firstLines(text, 12)].join('\n') };
  },
};
