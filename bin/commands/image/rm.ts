import { Args } from '@oclif/core';
import { ImageStore, kitPaths } from '../../../core';
import { KitCommand } from '../../base';

export default class ImageRm extends KitCommand {
  static summary = 'Remove an image, and the layers no other image uses.';
  static examples = ['sudo <%= config.bin %> image rm busybox'];
  static enableJsonFlag = true;
  static args = { name: Args.string({ required: true, description: 'the image to remove' }) };

  async run(): Promise<unknown> {
    const { args } = await this.parse(ImageRm);
    const store = new ImageStore(kitPaths());
    store.remove(args.name);
    const removedLayers = store.removeUnusedLayers();
    const kept = store.list().length;
    this.log(`removed ${args.name} (${removedLayers.length} unused layer(s) deleted; ${kept} image(s) left)`);
    return { name: args.name, removedLayers };
  }
}
