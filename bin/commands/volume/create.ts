import { Args } from '@oclif/core';
import { ensureVolume, kitPaths } from '../../../core';
import { KitCommand } from '../../base';

export default class VolumeCreate extends KitCommand {
  static summary = 'Create a named volume: a directory kit mounts into containers with -v NAME:/path.';
  static description = `Like docker volume create: <data>/volumes/NAME/_data, which outlives every container that mounts it until kit volume rm. kit run -v NAME:/path creates it too when it does not exist.`;
  static examples = ['sudo <%= config.bin %> volume create pgdata', 'sudo <%= config.bin %> run -v pgdata:/data base sh -c "echo hi > /data/f"'];
  static enableJsonFlag = true;
  static args = { name: Args.string({ required: true, description: 'the volume name' }) };

  async run(): Promise<unknown> {
    const { args } = await this.parse(VolumeCreate);
    const volume = ensureVolume(kitPaths(), args.name);
    if (!this.jsonEnabled()) this.log(volume.name);
    return volume;
  }
}
