import { ensureImage, ImageStore, kitPaths, BASE_IMAGE } from '../../../core';
import { KitCommand } from '../../base';
import { renderImageList } from '../../render/images';
import { baseImageProgress } from '../../render/progress';

export default class ImageLs extends KitCommand {
  static summary = 'List the images (the default image `base` is built on first use).';
  static examples = ['sudo <%= config.bin %> image ls', 'sudo <%= config.bin %> image ls --json'];
  static enableJsonFlag = true;
  static aliases = ['images']; // docker images

  async run(): Promise<unknown> {
    await this.parse(ImageLs); // an unknown flag or argument is refused, as by every command
    const paths = kitPaths();
    await ensureImage(paths, BASE_IMAGE, baseImageProgress());
    const images = new ImageStore(paths).list();
    if (!this.jsonEnabled()) this.log(renderImageList(images));
    return images;
  }
}
