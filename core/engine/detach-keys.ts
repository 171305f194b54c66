import { KitError } from '../errors';

/** Docker's default: Ctrl-P then Ctrl-Q. */
export const DEFAULT_DETACH_KEYS = 'ctrl-p,ctrl-q';

/** ctrl-<char> for the characters other than a-z that have a control code. */
const CONTROL_PUNCTUATION: Record<string, number> = { '@': 0, '[': 27, '\\': 28, ']': 29, '^': 30, _: 31 };

/**
 * --detach-keys as Docker reads it: comma-separated keys, each a single
 * character or ctrl-<a-z, @, [, \, ], ^, _>; "ctrl-p,ctrl-q" is the bytes
 * 0x10 0x11, what a terminal sends for those keys.
 */
export function parseDetachKeys(text: string = DEFAULT_DETACH_KEYS): Buffer {
  const keys = (text === '' ? DEFAULT_DETACH_KEYS : text).split(',').map((key) => {
    if (key.length === 1) return key.charCodeAt(0);
    const ctrl = /^ctrl-(.)$/i.exec(key);
    if (ctrl) {
      const c = ctrl[1].toLowerCase();
      if (c >= 'a' && c <= 'z') return c.charCodeAt(0) - 96;
      if (c in CONTROL_PUNCTUATION) return CONTROL_PUNCTUATION[c];
    }
    throw new KitError(`bad --detach-keys '${text}': '${key}' is not a key`, 'give keys separated by commas, each one character or ctrl-<a-z, @, [, \\, ], ^, _> (Docker\'s default: ctrl-p,ctrl-q)');
  });
  if (keys.some((k) => k > 0x7f)) throw new KitError(`bad --detach-keys '${text}'`, 'keys must be ASCII characters');
  return Buffer.from(keys);
}

/**
 * Watches what the user types for the detach sequence, as Docker's escape
 * proxy does: keys that start the sequence are held back; if the next key
 * does not continue it they go on after all (a lone Ctrl-P still reaches
 * the container, one key late); the whole sequence is never passed on.
 */
export class DetachKeys {
  private matched = 0;

  constructor(private readonly keys: Buffer) {}

  /** What of `chunk` goes to the container, and whether the sequence is now complete (the rest of the chunk is dropped). */
  feed(chunk: Buffer): { pass: Buffer; detach: boolean } {
    const pass: number[] = [];
    for (const byte of chunk) {
      if (byte !== this.keys[this.matched]) {
        pass.push(...this.keys.subarray(0, this.matched));
        this.matched = 0;
        if (byte !== this.keys[0]) {
          pass.push(byte);
          continue;
        }
      }
      this.matched++;
      if (this.matched === this.keys.length) {
        this.matched = 0;
        return { pass: Buffer.from(pass), detach: true };
      }
    }
    return { pass: Buffer.from(pass), detach: false };
  }
}
