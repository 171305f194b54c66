import { Args, Flags } from '@oclif/core';
import { DEFAULT_LIMITS, ImageStore, importImage, kitPaths, parseLimit, withStdinArchive } from '../../../core';
import { KitCommand } from '../../base';
import { progressBar } from '../../render/progress';
import { layerCount } from '../../render/images';

export default class ImageImport extends KitCommand {
  static summary = 'Import an image: a `docker export` rootfs, a `docker save` tar (any version), an OCI archive or an OCI layout directory.';
  static description = `"A Docker image is in essence a tarball." kit reads what Docker, podman and skopeo write (gzipped or not, recognised by content, not by name), stores each layer once by its sha256 digest, and keeps the config (Cmd, Entrypoint, Env, WorkingDir, platform) and history. A save of several images imports them all, each under its own name, unless --name picks one. The archive is untrusted: every entry is checked before it is written (absolute paths, '..', writes through symlinks, links to outside or special files are refused), and the limits below stop a gzip bomb or a flood of entries with nothing stored.`;
  static examples = [
    'sudo <%= config.bin %> image import busybox.tar --name busybox',
    'docker save alpine | sudo <%= config.bin %> image import - --name alpine',
    'docker save alpine | gzip > alpine.tgz && sudo <%= config.bin %> image import alpine.tgz',
    'skopeo copy docker-archive:app.tar oci:app-oci && sudo <%= config.bin %> image import app-oci --name app',
  ];
  static enableJsonFlag = true;
  static args = { file: Args.string({ required: true, description: 'the tarball (or OCI layout directory) to import; - reads it from stdin' }) };
  static flags = {
    name: Flags.string({ char: 'n', description: "the name to give the image (default: the name the archive gives it); with a save of several images, the one to import" }),
    'max-size': Flags.string({ description: `most bytes the archive, and all its layers together, may unpack to (default ${DEFAULT_LIMITS.maxSize / 1024 ** 3}g)`, helpGroup: 'LIMITS' }),
    'max-entries': Flags.string({ description: `most tar entries in all the layers (default ${DEFAULT_LIMITS.maxEntries})`, helpGroup: 'LIMITS' }),
    'max-path': Flags.string({ description: `longest path of a file in a layer, in bytes (default ${DEFAULT_LIMITS.maxPath}, the kernel's PATH_MAX)`, helpGroup: 'LIMITS' }),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(ImageImport);
    const limits = {
      maxSize: flags['max-size'] ? parseLimit('--max-size', flags['max-size'], true) : DEFAULT_LIMITS.maxSize,
      maxEntries: flags['max-entries'] ? parseLimit('--max-entries', flags['max-entries']) : DEFAULT_LIMITS.maxEntries,
      maxPath: flags['max-path'] ? parseLimit('--max-path', flags['max-path']) : DEFAULT_LIMITS.maxPath,
    };
    const paths = kitPaths();
    const from = (file: string) => importImage(new ImageStore(paths), paths, file, { name: flags.name, limits, progress: progressBar() });
    // `-`: the archive on stdin (docker save NAME | kit image import -).
    const { images, format, warnings } = args.file === '-' ? await withStdinArchive(paths, limits.maxSize, from) : await from(args.file);
    for (const warning of warnings) process.stderr.write(`kit: warning: ${warning}\n`);
    for (const image of images) this.log(`imported ${image.name} from ${args.file} (${format}, ${layerCount(image)})`);
    // One image: the image itself, as before; several: the list.
    return images.length === 1 ? { ...images[0], format, warnings } : { images, format, warnings };
  }
}
