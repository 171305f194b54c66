import { Args } from '@oclif/core';
import { commitContainer, ImageStore, kitPaths } from '../../core';
import { KitCommand } from '../base';
import { layerCount } from '../render/images';

export default class CommitCommand extends KitCommand {
  static summary = "Make a new image from a container: its image's layers plus the container layer on top.";
  static examples = ['sudo <%= config.bin %> commit web myimage'];
  static enableJsonFlag = true;
  static args = {
    container: Args.string({ required: true, description: 'container name, id or unique id prefix (running, or stopped with its layer kept)' }),
    image: Args.string({ required: true, description: 'name of the new image' }),
  };

  async run(): Promise<unknown> {
    const { args } = await this.parse(CommitCommand);
    const paths = kitPaths();
    const image = await commitContainer(paths, new ImageStore(paths), args.container, args.image);
    if (!this.jsonEnabled()) this.log(`${image.name}: ${layerCount(image)}, top ${image.layers[image.layers.length - 1]}`);
    return image;
  }
}
