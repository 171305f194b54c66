import { Args } from '@oclif/core';
import { KitError, kitPaths, readVolume } from '../../../core';
import { KitCommand } from '../../base';

export default class VolumeInspect extends KitCommand {
  static summary = 'Show a named volume as JSON: its name, creation time and the host directory that is mounted.';
  static examples = ['sudo <%= config.bin %> volume inspect pgdata'];
  static args = { name: Args.string({ required: true, description: 'the volume name' }) };

  async run(): Promise<void> {
    const { args } = await this.parse(VolumeInspect);
    const volume = readVolume(kitPaths(), args.name);
    if (!volume) throw new KitError(`no such volume: ${args.name}`, '`kit volume ls` lists them');
    this.log(JSON.stringify([{ Name: volume.name, Driver: 'local', Mountpoint: volume.mountpoint, CreatedAt: volume.createdAt }], null, 2));
  }
}
