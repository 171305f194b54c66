import { readFileSync } from 'node:fs';

/**
 * `running` probes start as soon as the plan is sent, while kit-init may
 * still be setting the container up (dropping capabilities...): wait until
 * it has exec'd the command, for two seconds at most.
 */
export async function afterExec(pid: number): Promise<void> {
  const end = Date.now() + 2000;
  while (commOf(pid) === 'kit-init' && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
}

function commOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}
