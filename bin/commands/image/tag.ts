import { Args } from '@oclif/core';
import { ImageStore, imageName, kitPaths } from '../../../core';
import { KitCommand } from '../../base';

export default class ImageTag extends KitCommand {
  static summary = 'Give an image another name (its layers are shared, not copied).';
  static description = "As `docker tag`: TARGET then names the same layers and config as SOURCE; `kit image rm` of one name leaves the other. Docker's references become kit names as an import makes them: `app:1.0` is app-1.0, `app:latest` is app.";
  static examples = ['sudo <%= config.bin %> image tag base mybase', 'sudo <%= config.bin %> tag app app:1.0'];
  static aliases = ['tag']; // docker tag
  static enableJsonFlag = true;
  static args = {
    source: Args.string({ required: true, description: 'the image to name' }),
    target: Args.string({ required: true, description: 'its new name' }),
  };

  async run(): Promise<unknown> {
    const { args } = await this.parse(ImageTag);
    const store = new ImageStore(kitPaths());
    const image = { ...store.get(args.source), name: imageName(args.target) };
    store.save(image); // as docker tag: an existing TARGET now names this image
    return { source: imageName(args.source), target: image.name };
  }
}
