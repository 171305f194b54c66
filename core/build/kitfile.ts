import { KitError } from '../errors';

/**
 * A Kitfile is a Dockerfile with the seven instructions kit builds:
 * FROM, COPY, RUN, CMD, ENV, WORKDIR, EXPOSE. One instruction per line, `#`
 * comments, a trailing backslash continues a line.
 */
export const INSTRUCTIONS = ['FROM', 'COPY', 'RUN', 'CMD', 'ENV', 'WORKDIR', 'EXPOSE'] as const;
export type Keyword = (typeof INSTRUCTIONS)[number];

export interface Instruction {
  keyword: Keyword;
  /** The rest of the line, as written. */
  args: string;
  /** 1-based, where the instruction starts: error messages name it. */
  line: number;
  /** As `kit image history` shows it. */
  text: string;
}

export function parseKitfile(source: string, file = 'Kitfile'): Instruction[] {
  const instructions: Instruction[] = [];
  let pending: { text: string; line: number } | undefined;
  source.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#'))) return;
    const text = pending ? `${pending.text} ${line}` : line;
    const start = pending?.line ?? index + 1;
    if (line.endsWith('\\')) {
      pending = { text: text.slice(0, -1).trim(), line: start };
      return;
    }
    pending = undefined;
    instructions.push(parseLine(text, start, file));
  });
  if (pending) instructions.push(parseLine(pending.text, pending.line, file));
  if (instructions[0]?.keyword !== 'FROM') {
    throw new KitError(`${file}: the first instruction must be FROM`, 'start with `FROM base` (see `kit image ls`)');
  }
  return instructions;
}

function parseLine(text: string, line: number, file: string): Instruction {
  const match = /^(\S+)\s*(.*)$/.exec(text) as RegExpExecArray;
  const keyword = match[1].toUpperCase();
  if (!(INSTRUCTIONS as readonly string[]).includes(keyword)) {
    throw new KitError(`${file} line ${line}: unknown instruction '${match[1]}'`, `kit builds ${INSTRUCTIONS.join(', ')}`);
  }
  if (!match[2]) throw new KitError(`${file} line ${line}: ${keyword} needs an argument`);
  return { keyword: keyword as Keyword, args: match[2], line, text: `${keyword} ${match[2]}` };
}

/** CMD ["a", "b"] (exec form) or CMD a b (shell form, run by /bin/sh -c). */
export function commandOf(args: string): string[] {
  if (args.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(args);
      if (Array.isArray(parsed) && parsed.every((a) => typeof a === 'string')) return parsed as string[];
    } catch {
      // not JSON: Docker, too, then runs it as a shell command
    }
  }
  return ['/bin/sh', '-c', args];
}

/** ENV NAME=value [NAME2=value2...] or ENV NAME value. */
export function envOf(args: string): string[] {
  if (!/^[^\s=]+=/.test(args)) {
    const [name, ...value] = args.split(/\s+/);
    return [`${name}=${value.join(' ')}`];
  }
  return (args.match(/[^\s=]+=("[^"]*"|\S*)/g) ?? []).map((pair) => pair.replace(/="(.*)"$/, '=$1'));
}
