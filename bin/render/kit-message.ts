import { terminalWidth, wrapHanging } from '../../core';

/**
 * "kit: ..." as kit writes it to stderr (an error, a step of the base
 * image's first build), fitted to stderr's terminal (COLUMNS, else the
 * terminal's width; piped with neither, one line): wrapped at words, the
 * lines after the first going on under the text after "kit: ".
 */
export function kitMessage(text: string, out: NodeJS.WriteStream = process.stderr): string {
  return wrapHanging(`kit: ${text}`, terminalWidth(process.env, out), 5).join('\n');
}
