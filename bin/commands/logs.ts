import { Flags } from '@oclif/core';
import { checkLogged, findAnyContainer, followLogs, KitError, kitPaths, parseLogTime, readLogs, type LogEntry } from '../../core';
import { KitCommand } from '../base';
import { containerArg } from '../flags/lifecycle';

export default class LogsCommand extends KitCommand {
  static summary = 'Show what a container has written to stdout and stderr, while it runs or after it exits.';
  static description = `Like docker logs. Each line a container writes goes to container.log in its directory, as JSON with its time and stream (Docker's json-file driver): a detached container's shim writes it, and a foreground kit run writes it while it passes the output on to your terminal. It is kept after the container exits until kit rm (a --rm container's goes with it). The log is rotated past 10 MiB (--log-opt max-size=SIZE on kit run): one previous file is kept. kit logs prints each line to the stream it came from; -f keeps printing what it writes until it ends. With -t (a terminal) stdout and stderr are one stream, logged as stdout, as Docker does. kit run --log-driver none logs nothing.`;
  static examples = ['sudo <%= config.bin %> logs web', 'sudo <%= config.bin %> logs -f --tail 10 web', 'sudo <%= config.bin %> logs -t web', 'sudo <%= config.bin %> logs --since 10m web'];
  static enableJsonFlag = true;
  static args = { container: containerArg };
  static flags = {
    follow: Flags.boolean({ char: 'f', default: false, description: 'keep printing new output until the container ends' }),
    tail: Flags.string({ char: 'n', helpValue: 'N|all', description: 'only the last N lines (default: all)' }),
    since: Flags.string({ helpValue: 'TIME', description: 'only lines written since TIME: 2026-11-30T20:00:00Z, a Unix timestamp, or a duration before now such as 10m or 1h30m' }),
    until: Flags.string({ helpValue: 'TIME', description: 'only lines written until TIME (same forms as --since); with -f, stop following then' }),
    timestamps: Flags.boolean({ char: 't', default: false, description: 'start each line with the time it was written (RFC 3339)' }),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(LogsCommand);
    const paths = kitPaths();
    const container = findAnyContainer(paths, args.container);
    checkLogged(container);
    const tail = parseTail(flags.tail);
    const since = flags.since === undefined ? undefined : parseLogTime('--since', flags.since);
    const until = flags.until === undefined ? undefined : parseLogTime('--until', flags.until);
    const print = (e: LogEntry) => process[e.stream].write(flags.timestamps ? `${e.time} ${e.log}` : e.log);
    if (flags.follow && this.jsonEnabled()) throw new KitError('-f streams the output as it comes: it has no --json form', 'kit logs --json gives what was written so far');
    if (flags.follow) return followLogs(paths, container.id, print, { tail, since, until });
    const entries = readLogs(paths, container.id, { tail, since, until });
    if (!this.jsonEnabled()) entries.forEach(print);
    const joined = (stream: LogEntry['stream']) => entries.filter((e) => e.stream === stream).map((e) => e.log).join('');
    return { stdout: joined('stdout'), stderr: joined('stderr'), entries };
  }
}

function parseTail(text: string | undefined): number | undefined {
  if (text === undefined || text === 'all') return undefined;
  if (!/^\d+$/.test(text)) throw new KitError(`bad --tail value '${text}'`, 'give a number of lines, or all');
  return Number(text);
}
