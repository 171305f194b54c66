import { Args, Flags } from '@oclif/core';
import { findAnyContainer, kitPaths, stopContainer } from '../../core';
import { KitCommand } from '../base';
import { eachContainer } from '../flags/several';

export default class StopCommand extends KitCommand {
  static summary = 'Stop running containers: SIGTERM (or its --stop-signal), then SIGKILL after a grace period.';
  static description = `As docker stop does. The container's first process is PID 1 of its PID namespace, and PID 1 ignores signals it has no handler for: a plain \`sleep\` shrugs off the SIGTERM and is ended by the SIGKILL. kit returns once the container's host changes are undone. The container is kept, exited, until kit rm (unless it ran with --rm). One that has already exited is left as it is, and kit exits 0, as docker stop does.`;
  static examples = ['sudo <%= config.bin %> stop web', 'sudo <%= config.bin %> stop -t 1 3fa2 db'];
  static strict = false;
  static usage = 'stop [-t SECONDS] CONTAINER...';
  static args = { container: Args.string({ required: true, description: 'names, ids or unique id prefixes' }) };
  static flags = {
    time: Flags.integer({ char: 't', min: 0, description: "seconds to wait after SIGTERM before SIGKILL (default: the container's --stop-timeout, else 10)" }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(StopCommand);
    const paths = kitPaths();
    await eachContainer(argv as string[], async (ref) => {
      // One that has already exited is left as it is, and named all the same: docker stop exits 0 then (`kit stop web && kit rm web` works).
      const c = findAnyContainer(paths, ref);
      if (c.running) await stopContainer(paths, c.running, flags.time === undefined ? undefined : flags.time * 1000);
      this.log(ref);
    });
  }
}
