import { Args } from '@oclif/core';
import { writeDefaultConfig } from '../../../core';
import { KitCommand } from '../../base';

export default class RuntimeSpec extends KitCommand {
  static summary = 'Write a default OCI config.json into a bundle directory, like runc spec.';
  static description = `The config runs busybox's sh from DIR/rootfs with Docker's default capabilities and new pid, network, ipc, uts, mount and cgroup namespaces. Run it with kit-runtime run --bundle DIR ID (see kit runtime path). An existing config.json is never overwritten.`;
  static examples = ['<%= config.bin %> runtime spec ./bundle', 'sudo "$(<%= config.bin %> runtime path)" run --bundle ./bundle mybox'];
  static args = { dir: Args.string({ description: 'the bundle directory', default: '.' }) };

  async run(): Promise<void> {
    const { args } = await this.parse(RuntimeSpec);
    this.log(writeDefaultConfig(args.dir));
  }
}
