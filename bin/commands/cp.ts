import { Args } from '@oclif/core';
import { containerPath, copyFromContainer, copyToContainer, KitError, kitPaths } from '../../core';
import { KitCommand } from '../base';

export default class CpCommand extends KitCommand {
  static summary = 'Copy files or directories between a container and the host.';
  static description = `Like docker cp: kit cp CONTAINER:PATH HOSTPATH, or kit cp HOSTPATH CONTAINER:PATH. An existing directory at the destination receives the source under its own name. Every path in the container is opened with openat2(RESOLVE_IN_ROOT) from its root: ".." stops at its "/" and an absolute symlink means its own path, so a link in the container never leads kit to a host file. Regular files and directories are copied; symlinks and special files inside a directory are listed as left out. A running container is copied through its root as its processes see it (volumes included); a stopped one through its kept layer, mounted for the copy and unmounted after (what it wrote to volumes is in the volume, not its layer).`;
  static examples = ['sudo <%= config.bin %> cp web:/etc/hostname ./hostname', 'sudo <%= config.bin %> cp ./site web:/srv'];
  static enableJsonFlag = true;
  static usage = 'cp CONTAINER:PATH HOSTPATH | cp HOSTPATH CONTAINER:PATH';
  static args = {
    source: Args.string({ required: true, description: 'CONTAINER:PATH or a host path' }),
    destination: Args.string({ required: true, description: 'a host path or CONTAINER:PATH' }),
  };

  async run(): Promise<unknown> {
    const { args } = await this.parse(CpCommand);
    const paths = kitPaths();
    const from = containerPath(args.source);
    const to = containerPath(args.destination);
    if (from && to) throw new KitError('kit cp copies between a container and the host, not between two containers', 'copy to the host first, then into the other container');
    if (!from && !to) throw new KitError(`neither ${args.source} nor ${args.destination} names a container`, 'write one side as CONTAINER:PATH');
    const result = await (from ? copyFromContainer(paths, from[0], from[1], args.destination) : copyToContainer(paths, args.source, to![0], to![1]));
    if (!this.jsonEnabled()) for (const path of result.skipped) process.stderr.write(`kit: left out ${path}: not a regular file or directory\n`);
    return result;
  }
}
