import { Writable } from 'node:stream';
import { Args, Flags } from '@oclif/core';
import { exportImage, exportImageTo, ImageStore, KitError, kitPaths } from '../../../core';
import { KitCommand } from '../../base';

export default class ImageSave extends KitCommand {
  static summary = 'Write an image with its layers as `docker save` does (for `docker load`, `kit load` or `kit image import`).';
  static description = 'As `docker save`: the layers (whiteouts as .wh. files), manifest.json and the config, to the file -o names, or to stdout when it is redirected (`kit save IMAGE > FILE`, `kit save IMAGE | docker load`), and nothing printed. It is `kit image export --format docker-save`. A terminal is refused as stdout, as docker refuses it: an archive there is only noise.';
  static examples = ['sudo <%= config.bin %> save -o base.tar base', 'sudo <%= config.bin %> save base | gzip > base.tar.gz', 'sudo <%= config.bin %> image save -o app.tar app:1.0 && docker load -i app.tar'];
  static aliases = ['save']; // docker save
  static enableJsonFlag = true;
  static args = { name: Args.string({ required: true, description: 'the image to save' }) };
  static flags = { output: Flags.string({ char: 'o', description: 'the tarball to write (default: stdout, when it is not a terminal)' }) };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(ImageSave);
    const paths = kitPaths();
    const store = new ImageStore(paths);
    if (flags.output !== undefined) {
      const { bytes } = await exportImage(store, paths, args.name, flags.output, 'docker-save');
      return { name: args.name, file: flags.output, format: 'docker-save', bytes };
    }
    if (this.jsonEnabled()) throw new KitError('--json prints its result on stdout, where the archive would go', `give the file: kit save --json -o FILE ${args.name}`);
    if (process.stdout.isTTY) throw new KitError('cowardly refusing to save to a terminal', `use -o FILE, or redirect: kit save ${args.name} > FILE`);
    await exportImageTo(store, paths, args.name, stdoutLeftOpen(), 'docker-save');
    return undefined;
  }
}

/**
 * stdout for a writer that ends its stream when done: the bytes go through
 * (waiting while the pipe is full), and the end leaves stdout open, since
 * oclif writes to it after the command (an ended pipe: EPIPE, exit 141). A
 * reader that leaves (`| head -c 100`) closes stdout: the write fails, so
 * the export stops and removes its scratch files instead of waiting for a
 * drain that never comes.
 */
function stdoutLeftOpen(): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (process.stdout.write(chunk)) return done();
      const drained = () => {
        process.stdout.off('close', closed);
        done();
      };
      const closed = () => {
        process.stdout.off('drain', drained);
        done(new Error('stdout was closed'));
      };
      process.stdout.once('drain', drained).once('close', closed);
    },
  });
}
