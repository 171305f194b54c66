import { resolve } from 'node:path';
import { KitCommand } from '../../base';

export default class RuntimePath extends KitCommand {
  static summary = "Print the path of kit-runtime, kit's OCI runtime executable.";
  static description = 'kit-runtime takes the OCI runtime command line as runc does (run --bundle B ID, spec, --version); the other verbs are not implemented yet.';
  static examples = ['sudo "$(<%= config.bin %> runtime path)" run --bundle ./bundle mybox'];

  async run(): Promise<void> {
    await this.parse(RuntimePath);
    // dist/bin/commands/runtime/path.js -> <package>/bin/kit-runtime.js
    this.log(resolve(__dirname, '../../../../bin/kit-runtime.js'));
  }
}
