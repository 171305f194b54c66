import { Flags } from '@oclif/core';
import { findContainer, KitError, killContainer, kitPaths } from '../../core';
import { KitCommand } from '../base';
import { containerArg } from '../flags/lifecycle';

export default class RmCommand extends KitCommand {
  static summary = 'Remove a container; -f kills a running one first.';
  static description = `kit removes a container by ending it: its owner (kit run, or the shim of a
detached container) then undoes every host change from its journal and
deletes its state directory. Like docker rm, a running container is refused
without -f.`;
  static examples = ['sudo <%= config.bin %> rm -f web'];
  static args = { container: containerArg };
  static flags = { force: Flags.boolean({ char: 'f', default: false, description: 'kill the container (SIGKILL) if it is running' }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(RmCommand);
    const paths = kitPaths();
    const state = findContainer(paths, args.container);
    if (!flags.force) {
      throw new KitError(`container ${state.name} is running`, `stop it first (kit stop ${args.container}) or force it (kit rm -f ${args.container})`);
    }
    await killContainer(paths, state);
    this.log(args.container);
  }
}
