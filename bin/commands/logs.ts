import { Flags } from '@oclif/core';
import { findContainer, followLogs, KitError, kitPaths, readLogs } from '../../core';
import { KitCommand } from '../base';
import { containerArg } from '../flags/lifecycle';

export default class LogsCommand extends KitCommand {
  static summary = "Show what a detached container has written to stdout and stderr.";
  static description = `A detached container's stdout and stderr go to stdout.log and stderr.log in its state directory (kit ps --json shows where); kit logs prints them, each to the stream it came from. -f keeps printing what it writes until it ends.`;
  static examples = ['sudo <%= config.bin %> logs web', 'sudo <%= config.bin %> logs -f web'];
  static enableJsonFlag = true;
  static args = { container: containerArg };
  static flags = { follow: Flags.boolean({ char: 'f', default: false, description: 'keep printing new output until the container ends' }) };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(LogsCommand);
    const paths = kitPaths();
    const state = findContainer(paths, args.container);
    if (flags.follow && this.jsonEnabled()) throw new KitError('-f streams the output as it comes: it has no --json form', 'kit logs --json gives what was written so far');
    if (flags.follow) return followLogs(paths, state, (stream, text) => process[stream].write(text));
    const logs = readLogs(paths, state);
    if (!this.jsonEnabled()) {
      process.stdout.write(logs.stdout);
      process.stderr.write(logs.stderr);
    }
    return logs;
  }
}
