import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What `--json` prints, as the tests read it. */
export interface EventJson {
  syscall: string;
  args: string[];
  ret: number;
  errno: string | null;
  side: 'host' | 'container';
  durationUs: number;
}

export interface ChapterJson {
  chapter: string;
  trace: EventJson[];
  container: { stdout: string; stderr: string; exitCode: number };
  before: Array<{ probe: string; text: string }>;
  /** The host once the container is created, before kit-init runs its plan (chapters that look then, e.g. caps). */
  created?: Array<{ probe: string; title: string; text: string }>;
  during: Array<{ probe: string; title: string; text: string }>;
  after: Array<{ probe: string; text: string }>;
}

/** The container pid a running kit wrote to its state dir, or 0. */
export function statePid(dir: string): number {
  try {
    return (JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as { pid?: number }).pid ?? 0;
  } catch {
    return 0;
  }
}
