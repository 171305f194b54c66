import { commandOutput, firstLines } from './command';
import type { Probe } from './probe';

/**
 * The host's network links (`ip -br link`), which any user may read: what a
 * container in a network namespace of its own does not see. How many there
 * are is in the title, so the text is the links alone: "the same N lines"
 * after the run counts links, not a header.
 */
export const hostLinks: Probe = {
  id: 'host-links',
  title: "the host's links (ip -br link)",
  run: () => {
    const text = commandOutput(['ip', '-br', 'link']);
    const count = text.split('\n').filter((l) => l.trim()).length;
    return { title: `the host's ${count} links (ip -br link)`, text: firstLines(text, 12) };
  },
};
