import { Args } from '@oclif/core';
import { findContainer, kitPaths, setPaused, TraceRecorder } from '../../core';
import { KitCommand } from '../base';
import { eachContainer } from '../flags/several';

export default class PauseCommand extends KitCommand {
  static summary = "Freeze every process of containers (the cgroup freezer); kit unpause thaws them.";
  static description = `Like docker pause: kit writes FROZEN to the container's freezer.state (cgroup v1) or 1 to cgroup.freeze (v2), and the kernel stops all its processes where they are: the host's ps shows them in state D or T, they use no CPU, and kit ps says "Up ... (Paused)". Nothing inside is told (no signal).`;
  static examples = ['sudo <%= config.bin %> pause web', 'sudo <%= config.bin %> unpause web'];
  static strict = false;
  static usage = 'pause CONTAINER...';
  static args = { container: Args.string({ required: true, description: 'names, ids or unique id prefixes' }) };

  async run(): Promise<void> {
    const { argv } = await this.parse(PauseCommand);
    const paths = kitPaths();
    await eachContainer(argv as string[], async (ref) => {
      const state = findContainer(paths, ref);
      setPaused(new TraceRecorder(), state.spec, state.id, true);
      this.log(ref);
    });
  }
}
