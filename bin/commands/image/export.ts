import { Args, Flags } from '@oclif/core';
import { exportImage, ImageStore, kitPaths } from '../../../core';
import { KitCommand } from '../../base';

export default class ImageExport extends KitCommand {
  static summary = 'Write an image as a tarball: its flattened root filesystem, or its layers (docker-save).';
  static description = `--format rootfs (the default) writes what \`docker export\` writes: the layers merged the way a container sees them, whiteouts applied, for \`docker import\` or \`tar -x\`.

--format docker-save keeps the layers (whiteouts as .wh. files) with manifest.json and the config, for \`docker load\` or \`kit image import\`.

--format oci writes an OCI image layout archive (oci-layout, index.json, blobs/sha256/), for \`podman load\`, \`skopeo copy oci-archive:FILE ...\` or \`kit image import\`.`;
  static examples = ['sudo <%= config.bin %> image export base -o base.tar', 'sudo <%= config.bin %> image export base -o base-layers.tar --format docker-save', 'sudo <%= config.bin %> image export base -o base-oci.tar --format oci && podman load -i base-oci.tar'];
  static enableJsonFlag = true;
  static args = { name: Args.string({ required: true, description: 'the image to export' }) };
  static flags = {
    output: Flags.string({ char: 'o', required: true, description: 'the tarball to write' }),
    format: Flags.string({ options: ['rootfs', 'docker-save', 'oci'], default: 'rootfs', description: 'flattened root filesystem, layers as `docker save` writes them, or an OCI image layout archive' }),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(ImageExport);
    const paths = kitPaths();
    const format = flags.format as 'rootfs' | 'docker-save' | 'oci';
    const { bytes } = await exportImage(new ImageStore(paths), paths, args.name, flags.output, format);
    this.log(`wrote ${args.name} to ${flags.output} (${format}, ${(bytes / (1 << 20)).toFixed(1)} MB)`);
    return { name: args.name, file: flags.output, format, bytes };
  }
}
