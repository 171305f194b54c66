import { Args, Flags } from '@oclif/core';
import { ImageStore, importImage, kitPaths } from '../../../core';
import { KitCommand } from '../../base';
import { progressBar } from '../../render/progress';

export default class ImageImport extends KitCommand {
  static summary = 'Import an image tarball: a `docker export` rootfs, a `docker save` tar or an OCI image layout.';
  static description = `"A Docker image is in essence a tarball." kit reads the three kinds Docker tools write (gzipped or not, recognised by content, not by name), stores each layer once by its sha256 digest, and keeps the config (Cmd, Entrypoint, Env, WorkingDir) and history. Every entry is checked before it is written: absolute paths, '..', writes through symlinks and links to outside files are refused.`;
  static examples = [
    'sudo <%= config.bin %> image import busybox.tar --name busybox',
    'docker save alpine | gzip > alpine.tgz && sudo <%= config.bin %> image import alpine.tgz --name alpine',
  ];
  static enableJsonFlag = true;
  static args = { file: Args.string({ required: true, description: 'the tarball to import' }) };
  static flags = { name: Flags.string({ char: 'n', required: true, description: 'the name to give the image' }) };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(ImageImport);
    const paths = kitPaths();
    const { image, format } = await importImage(new ImageStore(paths), paths, args.file, flags.name, progressBar());
    const layers = image.layers.length === 1 ? '1 layer' : `${image.layers.length} layers`;
    this.log(`imported ${image.name} from ${args.file} (${format}, ${layers})`);
    return { ...image, format };
  }
}
