import { Args, Flags } from '@oclif/core';
import { kitPaths, NoSuchContainerError, removeContainer } from '../../core';
import { KitCommand } from '../base';
import { eachContainer } from '../flags/several';

export default class RmCommand extends KitCommand {
  static summary = 'Remove containers: their record, logs and container layer; -f kills a running one first.';
  static description = `Like docker rm. kit removes a running container by ending it: its owner (kit run, or the shim of a detached one) then undoes every host change from its journal. As with Docker, a running container is refused without -f. Then what is kept of it after it exits (its record with the exit code, its logs, its container layer) is deleted. With several containers, each is removed on its own: one that fails is named and the others still go.`;
  static examples = ['sudo <%= config.bin %> rm -f web', 'sudo <%= config.bin %> rm web db   # stopped containers'];
  static strict = false;
  static usage = 'rm [-f] [-v] CONTAINER...';
  static args = { container: Args.string({ required: true, description: 'names, ids or unique id prefixes' }) };
  static flags = {
    force: Flags.boolean({ char: 'f', default: false, description: 'kill the container (SIGKILL) if it is running; a name that matches no container is not an error (as docker rm -f)' }),
    volumes: Flags.boolean({
      char: 'v',
      default: false,
      description: "docker rm -v removes the container's anonymous volumes; kit makes none (no -v without a name, no image VOLUME), so there is nothing more to remove: named volumes stay, as with Docker (kit volume rm)",
    }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(RmCommand);
    const paths = kitPaths();
    await eachContainer(argv as string[], async (ref) => {
      try {
        await removeContainer(paths, ref, flags.force);
        this.log(ref);
      } catch (err) {
        // As `docker rm -f` (Docker 20.10 on): forcing the removal of what is already gone succeeds, quietly.
        if (!(flags.force && err instanceof NoSuchContainerError)) throw err;
      }
    });
  }
}
