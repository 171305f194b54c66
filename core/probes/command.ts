import { spawnSync } from 'node:child_process';

/** The output of a host command a probe shows, or one line saying why not. */
export function commandOutput(argv: string[]): string {
  const result = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
  if (result.error) return `(${argv[0]} is not available here: ${result.error.message})`;
  return (result.stdout + result.stderr).trimEnd();
}

/** Keep a long listing readable: the first lines and a count of the rest. */
export function firstLines(text: string, max: number): string {
  const lines = text.split('\n');
  if (lines.length <= max) return text;
  return [...lines.slice(0, max), `... (${lines.length - max} more lines)`].join('\n');
}
