import { Args } from '@oclif/core';
import { findContainer, kitPaths, readLogs } from '../../core';
import { KitCommand } from '../base';

export default class LogsCommand extends KitCommand {
  static summary = "Show what a detached container has written to stdout and stderr.";
  static description = `A detached container's stdout and stderr go to stdout.log and stderr.log in its
state directory (kit ps --json shows where); kit logs prints them, each to
the stream it came from.`;
  static examples = ['sudo <%= config.bin %> logs web'];
  static enableJsonFlag = true;
  static args = { container: Args.string({ required: true, description: 'name, id or unique id prefix' }) };

  async run(): Promise<unknown> {
    const { args } = await this.parse(LogsCommand);
    const logs = readLogs(kitPaths(), findContainer(kitPaths(), args.container));
    if (!this.jsonEnabled()) {
      process.stdout.write(logs.stdout);
      process.stderr.write(logs.stderr);
    }
    return logs;
  }
}
