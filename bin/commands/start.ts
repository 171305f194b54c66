import { Args, Flags } from '@oclif/core';
import { KitError, kitPaths, startAttached, startKeptContainer, startsWithTerminal } from '../../core';
import { KitCommand } from '../base';
import { eachContainer } from '../flags/several';
import { asStartVerb, shimCommand } from '../flags/lifecycle';
import { detachKeys, detachKeysFlag } from '../flags/terminal';
import { finishAttached } from '../render/attach-end';

export default class StartCommand extends KitCommand {
  static summary = 'Start exited containers again, detached, as they were made (-a: attached).';
  static description = `Like docker start: the same command, flags, name and container layer (what it wrote is still there), its output appended to its log, and a new shim that owns it; kit returns once the command runs. One already running is left alone. kit run, not kit start, makes a new container.

With -a, kit stays attached from before the command runs (none of its output is missed) and exits with its exit code; -i also passes kit's stdin (to a container made with -i). A container made with -t gets kit's terminal raw and its size, and Ctrl-P Ctrl-Q (--detach-keys) leaves it running; without a terminal the signals kit gets go to the container's PID 1.`;
  static examples = ['sudo <%= config.bin %> start web', 'sudo <%= config.bin %> start web db', 'sudo <%= config.bin %> start -a job', 'sudo <%= config.bin %> start -ai box'];
  static strict = false;
  static usage = 'start [-a] [-i] CONTAINER...';
  static args = { container: Args.string({ required: true, description: 'names, ids or unique id prefixes' }) };
  static flags = {
    attach: Flags.boolean({ char: 'a', default: false, description: "attach kit's stdout and stderr, and exit with the container's exit code" }),
    interactive: Flags.boolean({ char: 'i', default: false, description: "attach kit's stdin too (implies -a)" }),
    ...detachKeysFlag,
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(StartCommand);
    const paths = kitPaths();
    const refs = argv as string[];
    if (flags.attach || flags.interactive) {
      if (refs.length > 1) throw new KitError('you cannot start and attach multiple containers at once', 'start them detached (drop -a and -i), then `kit attach` to one');
      const keys = detachKeys(flags);
      const tty = startsWithTerminal(paths, refs[0]);
      if (tty && flags.interactive && !process.stdin.isTTY) throw new KitError('the input device is not a TTY', 'run kit start -ai in a terminal, or drop -i to watch only');
      const end = await asStartVerb(() => startAttached(paths, refs[0], shimCommand(this), { tty, stdin: flags.interactive, detachKeys: keys, sigProxy: true }));
      await asStartVerb(async () => finishAttached(end, refs[0]));
      return;
    }
    await eachContainer(refs, async (ref) => {
      await asStartVerb(() => startKeptContainer(paths, ref, shimCommand(this)));
      this.log(ref);
    });
  }
}
