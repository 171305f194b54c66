import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { KitCommand } from '../../base';

export default class RuntimePath extends KitCommand {
  static summary = "Print the path of kit-runtime, kit's OCI runtime executable.";
  static description = 'kit-runtime takes the OCI runtime command line as runc does (create, start, state, kill, delete, exec, ps, pause, resume, list, features, run, spec), so podman (--runtime), containerd and the runtime tools can drive it. kit runtime trace ID shows what a container turned into.';
  static examples = ['sudo "$(<%= config.bin %> runtime path)" run --bundle ./bundle mybox'];

  async run(): Promise<void> {
    await this.parse(RuntimePath);
    // The native fast path (native-rs/src/runtime) when it is built; it execs bin/kit-runtime.js for the rest.
    const native = join(this.config.root, 'native-rs', 'kit-runtime');
    this.log(existsSync(native) ? native : join(this.config.root, 'bin', 'kit-runtime.js'));
  }
}
