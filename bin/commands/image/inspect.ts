import { Args } from '@oclif/core';
import { ImageStore, kitPaths } from '../../../core';
import { KitCommand } from '../../base';

export default class ImageInspect extends KitCommand {
  static summary = "Show an image as JSON: its layers (by digest, with their directories), config and history.";
  static examples = ['<%= config.bin %> image inspect base'];
  static enableJsonFlag = true;
  static args = { name: Args.string({ required: true, description: 'the image to show' }) };

  async run(): Promise<unknown> {
    const { args } = await this.parse(ImageInspect);
    const store = new ImageStore(kitPaths());
    const image = store.get(args.name);
    const result = { ...image, layerDirs: image.layers.map((digest) => store.layerDir(digest)) };
    if (!this.jsonEnabled()) this.log(JSON.stringify(result, null, 2));
    return result;
  }
}
