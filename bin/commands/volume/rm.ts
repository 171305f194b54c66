import { Args } from '@oclif/core';
import { allContainers, kitPaths, removeVolume } from '../../../core';
import { KitCommand } from '../../base';
import { eachContainer } from '../../flags/several';

export default class VolumeRm extends KitCommand {
  static summary = 'Remove named volumes and their data; refused while a container (running or exited) mounts one.';
  static examples = ['sudo <%= config.bin %> volume rm pgdata'];
  static strict = false;
  static usage = 'volume rm NAME...';
  static args = { name: Args.string({ required: true, description: 'the volume names' }) };

  async run(): Promise<void> {
    const { argv } = await this.parse(VolumeRm);
    const paths = kitPaths();
    await eachContainer(argv as string[], async (name) => {
      const usedBy = allContainers(paths)
        .filter((c) => ((c.running?.spec ?? c.record?.spec)?.mounts ?? []).some((m) => m.type === 'volume' && m.source === name))
        .map((c) => c.name);
      removeVolume(paths, name, usedBy);
      this.log(name);
    });
  }
}
