import { Flags } from '@oclif/core';
import { kitPaths, removeContainer } from '../../core';
import { KitCommand } from '../base';
import { containerArg } from '../flags/lifecycle';

export default class RmCommand extends KitCommand {
  static summary = "Remove a container and its container layer; -f kills a running one first.";
  static description = `kit removes a running container by ending it: its owner (kit run, or the shim
of a detached container) then undoes every host change from its journal and
deletes its state directory. Like docker rm, a running container is refused
without -f. Then the container's layer is deleted: containers started with -d
or --name keep it after they exit (for kit diff and kit commit) until kit rm.`;
  static examples = ['sudo <%= config.bin %> rm -f web', 'sudo <%= config.bin %> rm web   # a stopped container: its kept layer'];
  static args = { container: containerArg };
  static flags = { force: Flags.boolean({ char: 'f', default: false, description: 'kill the container (SIGKILL) if it is running' }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(RmCommand);
    const paths = kitPaths();
    await removeContainer(paths, args.container, flags.force);
    this.log(args.container);
  }
}
