import chalk from 'chalk';
import { cutEnd, elideMiddle, expandTabs, stripAnsi, visibleWidth, wrapWords } from '../../core/trace/width';

const colours = new chalk.Instance({ level: 1 });

test('a trace line too wide keeps its start and its result, "…" in the middle', () => {
  const line = `[ctr ] execve("/usr/bin/sh", ["sh", "-c", "${'x'.repeat(300)}"], [/* 1 vars */]) = 0`;
  const fitted = elideMiddle(line, 80);
  expect(visibleWidth(fitted)).toBe(80);
  expect(fitted.startsWith('[ctr ] execve("/usr/bin/sh"')).toBe(true);
  expect(fitted.endsWith('[/* 1 vars */]) = 0')).toBe(true);
  expect(fitted).toContain('…');
  expect(elideMiddle('short', 80)).toBe('short');
});

test('colour codes take no columns and are all kept, so every colour is switched off again', () => {
  const line = `${colours.cyan('[host]')} ${colours.bold('clone')}(${'A|'.repeat(60)}SIGCHLD) = ${colours.green('4242')}`;
  const fitted = elideMiddle(line, 40);
  expect(visibleWidth(fitted)).toBe(40);
  expect(fitted.match(/\x1b\[[0-9;]*m/g)).toEqual(line.match(/\x1b\[[0-9;]*m/g));
  expect(stripAnsi(fitted).endsWith('= 4242')).toBe(true);
});

test('a table row is cut at its end; tabs count as the columns a terminal gives them', () => {
  expect(cutEnd('root  1  0  /sbin/init --a-very-long-argument', 20)).toBe('root  1  0  /sbin/i…');
  expect(expandTabs('kit0\t\tid')).toBe('kit0            id');
  expect(visibleWidth(cutEnd('bridge name\tbridge id\t\tSTP enabled\tinterfaces', 30))).toBe(30);
});

test('prose wraps at words and keeps its indentation; a word wider than the line is cut', () => {
  const lines = wrapWords(`    ${'word '.repeat(40).trim()}`, 30);
  expect(lines.length).toBeGreaterThan(5);
  for (const l of lines) {
    expect(l.length).toBeLessThanOrEqual(30);
    expect(l.startsWith('    word')).toBe(true);
  }
  expect(wrapWords('/a/very/long/path/that/never/ends/anywhere/at/all', 20)).toEqual(['/a/very/long/path/t…']);
});

test('a cut counts columns, not UTF-16 units: a surrogate pair is one column and stays whole; a lone ESC is a character', () => {
  const emoji = '\u{1F600}';
  expect(cutEnd(`${emoji.repeat(30)}`, 10)).toBe(`${emoji.repeat(9)}…`);
  expect(elideMiddle(`ab${emoji}cdefghij${emoji}k`, 8)).toBe(`ab${emoji}cd…${emoji}k`);
  expect(visibleWidth(`a${emoji}\x1b[1mb\x1b[22m\x1b`)).toBe(4);
  expect(cutEnd('\x1babcdef', 4)).toBe('\x1bab…');
});

test('colours at the cut stay where they were, around the kept text, with "…" after those before it', () => {
  const line = `\x1b[36m[host]\x1b[39m mkdir("${'d'.repeat(50)}") = \x1b[32m0\x1b[39m`;
  const fitted = elideMiddle(line, 30);
  expect(fitted).toBe(`\x1b[36m[host]\x1b[39m mkdir("dddd…ddddd") = \x1b[32m0\x1b[39m`);
  expect(cutEnd(`\x1b[1m${'x'.repeat(10)}\x1b[22m${'y'.repeat(10)}`, 11)).toBe(`\x1b[1m${'x'.repeat(10)}\x1b[22m…`);
});
