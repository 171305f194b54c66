import { Flags } from '@oclif/core';
import { DEFAULT_LIMITS, ImageStore, importImage, kitPaths, withStdinArchive } from '../../../core';
import { KitCommand } from '../../base';
import { progressBar } from '../../render/progress';

export default class ImageLoad extends KitCommand {
  static summary = 'Load images from a `docker save` archive, from -i FILE or stdin, as `docker load` does.';
  static description = 'As `docker load`: each image the archive holds is stored under its name and "Loaded image: NAME" printed for it. It is `kit image import` (the same archives, checked the same way as untrusted input, within its default limits) with Docker\'s flags and rule: a name that exists moves to the loaded image, whose old layers go unless another image or a container uses them; -i FILE, or the archive on stdin (`docker save alpine | kit load`); -q leaves out the progress bar.';
  static examples = ['sudo <%= config.bin %> load -i base.tar', 'docker save alpine | sudo <%= config.bin %> load', 'sudo <%= config.bin %> load < app.tar'];
  static aliases = ['load']; // docker load
  static enableJsonFlag = true;
  static flags = {
    input: Flags.string({ char: 'i', description: 'the archive to read (default: stdin)' }),
    quiet: Flags.boolean({ char: 'q', description: 'no progress bar' }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(ImageLoad);
    const paths = kitPaths();
    const progress = flags.quiet || this.jsonEnabled() ? undefined : progressBar();
    const from = (file: string) => importImage(new ImageStore(paths), paths, file, { limits: DEFAULT_LIMITS, progress, replace: true });
    const { images, format, warnings, replaced } = flags.input === undefined ? await withStdinArchive(paths, DEFAULT_LIMITS.maxSize, from, 'kit load') : await from(flags.input);
    for (const warning of warnings) process.stderr.write(`kit: warning: ${warning}\n`);
    for (const image of images) this.log(`Loaded image: ${image.name}`);
    return { images: images.map((image) => image.name), format, warnings, replaced };
  }
}
