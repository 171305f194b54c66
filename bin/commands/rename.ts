import { Args } from '@oclif/core';
import { kitPaths, renameContainer } from '../../core';
import { KitCommand } from '../base';

export default class RenameCommand extends KitCommand {
  static summary = 'Rename a container, running or not.';
  static description = `Like docker rename. The new name follows Docker's rule (letters, digits, _ . -, starting with a letter or digit) and must be free; kit ps, logs, exec, stop and rm then take it. A running container's name is a link in kit's state dir that its owner removes when it ends.`;
  static examples = ['sudo <%= config.bin %> rename web frontend'];
  static args = {
    container: Args.string({ required: true, description: 'its name, id or unique id prefix' }),
    name: Args.string({ required: true, description: 'the new name' }),
  };

  async run(): Promise<void> {
    const { args } = await this.parse(RenameCommand);
    renameContainer(kitPaths(), args.container, args.name);
  }
}
