import { Args, Flags } from '@oclif/core';
import { kitPaths, restartContainer } from '../../core';
import { KitCommand } from '../base';
import { eachContainer } from '../flags/several';
import { asStartVerb, shimCommand } from '../flags/lifecycle';

export default class RestartCommand extends KitCommand {
  static summary = 'Stop containers (SIGTERM, then SIGKILL) and start them again.';
  static description = `Like docker restart: kit stop, then kit start, keeping each container's id, name, layer and log.`;
  static examples = ['sudo <%= config.bin %> restart web', 'sudo <%= config.bin %> restart -t 1 web db'];
  static strict = false;
  static usage = 'restart [-t SECONDS] CONTAINER...';
  static args = { container: Args.string({ required: true, description: 'names, ids or unique id prefixes' }) };
  static flags = { time: Flags.integer({ char: 't', min: 0, description: "seconds to wait after SIGTERM before SIGKILL (default: the container's --stop-timeout, else 10)" }) };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(RestartCommand);
    const paths = kitPaths();
    await eachContainer(argv as string[], async (ref) => {
      await asStartVerb(() => restartContainer(paths, ref, flags.time === undefined ? undefined : flags.time * 1000, shimCommand(this)));
      this.log(ref);
    });
  }
}
