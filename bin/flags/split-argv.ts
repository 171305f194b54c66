/**
 * `kit run [flags] IMAGE [COMMAND...]`, `kit exec [flags] CONTAINER COMMAND...`:
 * everything after the image or container belongs to the command (`kit run
 * base ls -l /` must not read -l as kit's flag), as with docker run and exec.
 * Splits argv after the first word that is neither a flag nor a flag's value;
 * `optionNames` are the flags that take a value.
 */
export function splitAtFirstArg(argv: string[], optionNames: Set<string>): { own: string[]; command: string[] } {
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (word === '--') return { own: [...argv.slice(0, i), ...argv.slice(i + 1, i + 2)], command: argv.slice(i + 2) };
    if (!word.startsWith('-')) return { own: argv.slice(0, i + 1), command: argv.slice(i + 1) };
    if (optionNames.has(word)) i++; // its value is the next word
  }
  return { own: argv, command: [] };
}

/** The spellings (--name, -c) of the flags in an oclif flag table that take a value. */
export function optionNames(flags: Record<string, { type: string; char?: string }>): Set<string> {
  const names = Object.entries(flags).filter(([, f]) => f.type === 'option');
  return new Set(names.flatMap(([name, f]) => [`--${name}`, ...(f.char ? [`-${f.char}`] : [])]));
}
