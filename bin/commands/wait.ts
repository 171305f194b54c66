import { Args } from '@oclif/core';
import { kitPaths, waitContainer } from '../../core';
import { KitCommand } from '../base';

export default class WaitCommand extends KitCommand {
  static summary = 'Block until containers stop, then print their exit codes.';
  static description = `Like docker wait: one line per container, its exit code (128 + N when signal N ended it), once it is no longer running; at once for one that has already exited.`;
  static examples = ['sudo <%= config.bin %> wait web', 'sudo <%= config.bin %> wait web db'];
  static strict = false;
  static usage = 'wait CONTAINER...';
  static args = { container: Args.string({ required: true, description: 'names, ids or unique id prefixes' }) };

  async run(): Promise<void> {
    const { argv } = await this.parse(WaitCommand);
    const paths = kitPaths();
    for (const ref of argv as string[]) this.log(String(await waitContainer(paths, ref)));
  }
}
