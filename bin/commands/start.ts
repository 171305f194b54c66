import { Args } from '@oclif/core';
import { kitPaths, startKeptContainer } from '../../core';
import { KitCommand } from '../base';
import { eachContainer } from '../flags/several';
import { shimCommand } from '../flags/lifecycle';

export default class StartCommand extends KitCommand {
  static summary = 'Start exited containers again, detached, as they were made.';
  static description = `Like docker start: the same command, flags, name and container layer (what it wrote is still there), its output appended to its log, and a new shim that owns it; kit returns once the command runs. One already running is left alone. kit run, not kit start, makes a new container.`;
  static examples = ['sudo <%= config.bin %> start web', 'sudo <%= config.bin %> start web db'];
  static strict = false;
  static kitErrorExitCode = 125;
  static usage = 'start CONTAINER...';
  static args = { container: Args.string({ required: true, description: 'names, ids or unique id prefixes' }) };

  async run(): Promise<void> {
    const { argv } = await this.parse(StartCommand);
    const paths = kitPaths();
    await eachContainer(argv as string[], async (ref) => {
      await startKeptContainer(paths, ref, shimCommand(this));
      this.log(ref);
    });
  }
}
