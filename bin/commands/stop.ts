import { Flags } from '@oclif/core';
import { findContainer, kitPaths, stopContainer } from '../../core';
import { KitCommand } from '../base';
import { containerArg } from '../flags/lifecycle';

export default class StopCommand extends KitCommand {
  static summary = 'Stop a running container: SIGTERM, then SIGKILL after a grace period.';
  static description = `As docker stop does. The container's first process is PID 1 of its PID
namespace, and PID 1 ignores signals it has no handler for: a plain \`sleep\`
shrugs off the SIGTERM and is ended by the SIGKILL. kit returns once the
container's host changes are undone.`;
  static examples = ['sudo <%= config.bin %> stop web', 'sudo <%= config.bin %> stop -t 1 3fa2'];
  static args = { container: containerArg };
  static flags = {
    time: Flags.integer({ char: 't', default: 10, min: 0, description: 'seconds to wait after SIGTERM before SIGKILL' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(StopCommand);
    const paths = kitPaths();
    const state = findContainer(paths, args.container);
    await stopContainer(paths, state, flags.time * 1000);
    this.log(args.container);
  }
}
