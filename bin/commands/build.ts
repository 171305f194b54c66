import { Args, Flags } from '@oclif/core';
import { join } from 'node:path';
import { buildImage, kitPaths, renderEvent, imageName } from '../../core';
import { KitCommand } from '../base';
import { layerCount } from '../render/images';
import { storageFlags } from '../flags/storage';
import { baseImageProgress } from '../render/progress';

export default class BuildCommand extends KitCommand {
  static summary = 'Build an image from a Kitfile (FROM, COPY, RUN, CMD, ENV, WORKDIR), one layer per instruction that changes files.';
  static description = `Like \`docker build\`: COPY takes files from the context dir; RUN runs a command in a container of the image built so far (the same root as kit run: the storage driver's layers, then pivot_root), and its container layer becomes the next layer.`;
  static examples = ['sudo <%= config.bin %> build -t app -f Kitfile .', 'sudo <%= config.bin %> image history app'];
  static enableJsonFlag = true;
  static args = { context: Args.string({ required: true, description: 'the build context: the dir COPY reads from' }) };
  static flags = {
    tag: Flags.string({ char: 't', required: true, description: 'name of the image to make' }),
    file: Flags.string({ char: 'f', description: 'the Kitfile (default: <context>/Kitfile)' }),
    ...storageFlags,
    trace: Flags.boolean({ default: false, description: "print every syscall of the RUN steps' containers (pivot_root into the image so far...) on stderr" }),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(BuildCommand);
    const image = await buildImage({
      paths: kitPaths(),
      name: imageName(flags.tag), // -t app:1.0 is app-1.0, as an import names it
      kitfile: flags.file ?? join(args.context, 'Kitfile'),
      context: args.context,
      driver: flags['storage-driver'],
      onEvent: flags.trace ? (event) => process.stderr.write(renderEvent(event) + '\n') : undefined,
      imageProgress: baseImageProgress(),
      onProgress: this.jsonEnabled() ? undefined : (text) => process.stdout.write(text),
    });
    if (!this.jsonEnabled()) this.log(`Successfully built ${image.name} (${layerCount(image)})`);
    return image;
  }
}
