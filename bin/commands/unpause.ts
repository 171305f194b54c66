import { Args } from '@oclif/core';
import { findContainer, kitPaths, setPaused, TraceRecorder } from '../../core';
import { KitCommand } from '../base';
import { eachContainer } from '../flags/several';

export default class UnpauseCommand extends KitCommand {
  static summary = 'Thaw containers kit pause froze: their processes run on.';
  static description = `Like docker unpause: THAWED to freezer.state (cgroup v1) or 0 to cgroup.freeze (v2).`;
  static examples = ['sudo <%= config.bin %> unpause web'];
  static strict = false;
  static usage = 'unpause CONTAINER...';
  static args = { container: Args.string({ required: true, description: 'names, ids or unique id prefixes' }) };

  async run(): Promise<void> {
    const { argv } = await this.parse(UnpauseCommand);
    const paths = kitPaths();
    await eachContainer(argv as string[], async (ref) => {
      const state = findContainer(paths, ref);
      setPaused(new TraceRecorder(), state.spec, state.id, false);
      this.log(ref);
    });
  }
}
