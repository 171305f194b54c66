import { capabilityNames, processCapabilities } from '../security/capabilities';
import { afterExec } from './after-exec';
import type { Probe, ProbeView } from './probe';

/**
 * The container process's capabilities, read from the host in
 * /proc/<pid>/status and decoded by name: kit-init's before it is released
 * (every capability kit has), and the command's once it runs (after the drop).
 */
export const capabilitiesBefore: Probe = {
  id: 'capabilities-before',
  title: "kit-init's capabilities, before it runs the plan",
  run: ({ pid }) => (pid ? view(pid) : { text: '(no container running)' }),
};

export const capabilities: Probe = {
  id: 'capabilities',
  title: "the command's capabilities",
  run: async ({ pid }) => {
    if (!pid) return { text: '(no container running)' };
    await afterExec(pid);
    return view(pid);
  },
};

function view(pid: number): ProbeView {
  try {
    const lines = (['CapEff', 'CapBnd'] as const).map((field) => {
      const mask = processCapabilities(pid, field);
      const names = capabilityNames(mask);
      return `${field}: ${mask.toString(16).padStart(16, '0')} = ${names.length} capabilities:\n${wrapWords(names, 76).map((l) => `  ${l}`).join('\n') || '  (none)'}`;
    });
    return { text: [`/proc/${pid}/status, decoded:`, ...lines].join('\n') };
  } catch {
    return { text: '(the process is gone)' };
  }
}

/** Words joined by spaces, in lines of at most `width` characters. */
function wrapWords(words: string[], width: number): string[] {
  const lines: string[] = [];
  for (const word of words) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 1 + word.length <= width) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines;
}
