import { wrapWords } from '../../core';

/**
 * A line wrapped at words to the width, its continuation lines indented
 * `hang` columns past its own indentation (`docker info`'s "  Why: ..."
 * goes on under its text, not under "Why").
 */
export function wrapHanging(line: string, width: number, hang = 2): string[] {
  const indent = /^ */.exec(line)?.[0].length ?? 0;
  const pad = ' '.repeat(indent + hang);
  const [first, ...rest] = wrapWords(line, width);
  if (!rest.length) return [first];
  return [first, ...wrapWords(pad + rest.map((l) => l.trimStart()).join(' '), width)];
}
