import { Args } from '@oclif/core';
import { diffContainer, ImageStore, kitPaths } from '../../core';
import { KitCommand } from '../base';

export default class DiffCommand extends KitCommand {
  static summary = "What a container changed in its image's files, like `docker diff`: A added, C changed, D deleted.";
  static description = `Read from the container's own layer: with overlay2 its upper dir (a 0/0 character device there is a deletion: D), with vfs a comparison of its full copy with the image.`;
  static examples = ['sudo <%= config.bin %> diff web'];
  static enableJsonFlag = true;
  static args = { container: Args.string({ required: true, description: 'container name, id or unique id prefix (running, or stopped with its layer kept)' }) };

  async run(): Promise<unknown> {
    const { args } = await this.parse(DiffCommand);
    const paths = kitPaths();
    const changes = diffContainer(paths, new ImageStore(paths), args.container);
    if (!this.jsonEnabled()) for (const c of changes) this.log(`${c.kind} ${c.path}`);
    return changes;
  }
}
