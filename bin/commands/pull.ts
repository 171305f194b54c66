import { Args } from '@oclif/core';
import { KitError } from '../../core';
import { KitCommand } from '../base';

export default class PullCommand extends KitCommand {
  static summary = 'kit has no registry access: this says how to bring an image in instead.';
  static description = `docker pull downloads an image from a registry; kit never talks to one (it works offline, and its images are tarballs you can read). Bring an image in from a machine that has Docker, podman or skopeo: docker save NAME | sudo kit image import - , or write the tarball to a file and kit image import it. The default image base is built offline on first use.`;
  static examples = ['docker save alpine | sudo <%= config.bin %> image import - --name alpine', 'sudo <%= config.bin %> image import alpine.tar'];
  static args = { image: Args.string({ required: true, description: 'the image you wanted' }) };

  async run(): Promise<void> {
    const { args } = await this.parse(PullCommand);
    const name = args.image.split('/').pop()!.split(':')[0];
    throw new KitError(
      `kit has no registry access, so it cannot pull ${args.image}`,
      `on a machine with Docker: docker save ${args.image} | sudo kit image import - --name ${name} (or docker save -o ${name}.tar ${args.image}, then kit image import ${name}.tar)`,
    );
  }
}
