import { Args, Flags } from '@oclif/core';
import { ImageStore, kitPaths, removeImage } from '../../../core';
import { KitCommand } from '../../base';

export default class ImageRm extends KitCommand {
  static summary = 'Remove an image, and the layers no other image or container uses.';
  static description = 'As `docker rmi`: an image a container still uses (running, or stopped and kept) is refused unless -f; forced, its name goes and its layers stay until those containers are removed.';
  static examples = ['sudo <%= config.bin %> image rm busybox', 'sudo <%= config.bin %> image rm -f busybox'];
  static enableJsonFlag = true;
  static aliases = ['rmi']; // docker rmi
  static args = { name: Args.string({ required: true, description: 'the image to remove' }) };
  static flags = { force: Flags.boolean({ char: 'f', default: false, description: 'remove it even if a container uses it' }) };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(ImageRm);
    const paths = kitPaths();
    const store = new ImageStore(paths);
    const { removedLayers, usedBy } = removeImage(store, paths, args.name, flags.force);
    const kept = store.list().length;
    const still = usedBy.length ? `; ${usedBy.join(', ')} still use${usedBy.length === 1 ? 's' : ''} its layers` : '';
    this.log(`removed ${args.name} (${removedLayers.length} unused layer(s) deleted; ${kept} image(s) left${still})`);
    return { name: args.name, removedLayers, usedBy };
  }
}
