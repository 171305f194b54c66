import { Args, Flags } from '@oclif/core';
import { exportImage, ImageStore, kitPaths } from '../../../core';
import { KitCommand } from '../../base';

export default class ImageSave extends KitCommand {
  static summary = 'Write an image with its layers as `docker save` does (for `docker load` or `kit image import`).';
  static description = 'As `docker save -o FILE IMAGE`: the layers (whiteouts as .wh. files), manifest.json and the config, and nothing printed. It is `kit image export --format docker-save`; -o is required (kit does not write an archive to stdout).';
  static examples = ['sudo <%= config.bin %> save -o base.tar base', 'sudo <%= config.bin %> image save -o app.tar app:1.0 && docker load -i app.tar'];
  static aliases = ['save']; // docker save
  static enableJsonFlag = true;
  static args = { name: Args.string({ required: true, description: 'the image to save' }) };
  static flags = { output: Flags.string({ char: 'o', required: true, description: 'the tarball to write' }) };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(ImageSave);
    const paths = kitPaths();
    const { bytes } = await exportImage(new ImageStore(paths), paths, args.name, flags.output, 'docker-save');
    return { name: args.name, file: flags.output, format: 'docker-save', bytes };
  }
}
