import { Flags } from '@oclif/core';
import { attachContainer, findAnyContainer, KitError, kitPaths } from '../../core';
import { KitCommand } from '../base';
import { containerArg } from '../flags/lifecycle';
import { detachKeys, detachKeysFlag } from '../flags/terminal';
import { finishAttached } from '../render/attach-end';

export default class AttachCommand extends KitCommand {
  static summary = "Attach kit's stdin, stdout and stderr to a running container.";
  static description = `Like docker attach: kit connects to the shim that holds the container's stdio (a container started with -d, with -it, or by kit start) and shows its output as it comes; what you type goes to its stdin if it was started with -i. A container with a terminal (-t) gets kit's terminal raw, and its size: Ctrl-C goes to its foreground process group, and Ctrl-P Ctrl-Q (--detach-keys) detaches, leaving it running ("read escape sequence", exit 1, as docker). Without a terminal, the signals kit gets (Ctrl-C...) go to the container's PID 1 (--sig-proxy). Once its command ends, kit exits with its exit code. Several kits may attach to one container at once: each sees the output, all type into it.`;
  static examples = ['sudo <%= config.bin %> run -dit --name box base sh && sudo <%= config.bin %> attach box', 'sudo <%= config.bin %> attach --no-stdin web', 'sudo <%= config.bin %> attach --detach-keys ctrl-x,x box'];
  static args = { container: containerArg };
  static flags = {
    'no-stdin': Flags.boolean({ default: false, description: "do not pass kit's stdin (watch only)" }),
    'sig-proxy': Flags.string({ options: ['true', 'false'], default: 'true', helpValue: 'true|false', description: "without a terminal, pass the signals kit gets to the container's PID 1 (--sig-proxy=false: Ctrl-C ends kit only)" }),
    ...detachKeysFlag,
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(AttachCommand);
    const paths = kitPaths();
    const keys = detachKeys(flags);
    const c = findAnyContainer(paths, args.container);
    if (!c.running) throw new KitError(`you cannot attach to a stopped container, start it first`, `kit start ${c.name}`);
    const tty = c.running.spec.tty !== undefined;
    const stdin = !flags['no-stdin'];
    if (tty && stdin && !process.stdin.isTTY) throw new KitError('the input device is not a TTY', 'run kit attach in a terminal, or add --no-stdin to watch only');
    finishAttached(await attachContainer(paths, c.running, { tty, stdin, detachKeys: keys, sigProxy: flags['sig-proxy'] === 'true' }), c.name);
  }
}
