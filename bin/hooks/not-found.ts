import type { Hook } from '@oclif/core';
import { chalk } from '../../core';
import { kitMessage } from '../render/kit-message';

/**
 * An unknown command: one line naming it and the nearest kit command, as git
 * and docker suggest (`kit rmi base` used to say "command rmi:base not found").
 * oclif joins the words it could not match with ':'; the first is the command.
 */
const hook: Hook<'command_not_found'> = async function (options) {
  const words = options.id.split(':');
  // Docker's management form, `docker container ls|rm|logs...`: the same verbs kit has at the top.
  const verb = words[0] === 'container' ? containerVerb(words[1]) : undefined;
  if (verb) {
    const argv = process.argv.slice(2);
    return options.config.runCommand(verb, argv.slice(argv.indexOf(words[1], argv.indexOf('container')) + 1));
  }
  const ids = options.config.commands.filter((c) => !c.hidden).flatMap((c) => [c.id, ...c.aliases]);
  const typed = words.join(' ');
  const best = nearest(words, ids);
  const hint = best ? `did you mean \`kit ${best.replace(/:/g, ' ')}\`?` : 'see `kit --help` for the commands';
  process.stderr.write(chalk.red(kitMessage(`'${words[0]}' is not a kit command (kit ${typed}); ${hint}`)) + '\n');
  process.exit(1);
};

/** `container ls` is `ps`; `container rm`, `container logs`... are `rm`, `logs`... */
function containerVerb(word: string | undefined): string | undefined {
  if (word === 'ls' || word === 'list') return 'ps';
  return word && CONTAINER_VERBS.has(word) ? word : undefined;
}

const CONTAINER_VERBS = new Set(['attach', 'commit', 'cp', 'diff', 'exec', 'inspect', 'kill', 'logs', 'pause', 'port', 'ps', 'rename', 'restart', 'rm', 'run', 'start', 'stats', 'stop', 'top', 'unpause', 'wait']);

/** The command id closest to what was typed (its first one or two words), if close enough to be a typo. */
function nearest(words: string[], ids: string[]): string | undefined {
  let best: { id: string; distance: number } | undefined;
  for (const id of ids) {
    const depth = id.split(':').length;
    const typed = words.slice(0, depth).join(':');
    const distance = editDistance(typed, id);
    if (!best || distance < best.distance) best = { id, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(best.id.length / 3)) ? best.id : undefined;
}

/** Levenshtein distance, one row at a time. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}

export default hook;
