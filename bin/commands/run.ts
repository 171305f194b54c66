import { Args, Flags } from '@oclif/core';
import { ensureImage, kitPaths, renderEvent, runContainer, shellStatus, specFromImage } from '../../core';
import { KitCommand } from '../base';
import { cgroupFlags, resourcesFromFlags } from '../flags/cgroups';
import { containerFlags, runRequest } from '../flags/container';
import { lifecycleFlags, startContainer } from '../flags/lifecycle';
import { networkFlags, networkSpec } from '../flags/network';
import { securityFlags, securitySpec } from '../flags/security';
import { storageFlags, storageSpec } from '../flags/storage';
import { optionNames, splitAtFirstArg } from '../flags/split-argv';

export default class RunCommand extends KitCommand {
  static summary = 'Run a command in a new container made from an image.';
  static description = `Like docker run, in the foreground: the container gets its own mount, UTS, IPC, PID, network (unless --network host) and cgroup namespaces and the image as its root filesystem (pivot_root), and its output is yours. Its exit code is kit's. --trace also prints every syscall kit makes, on stderr. The image \`base\` is built on first use.

The container layer (what the container wrote): a container started with -d or --name keeps it after it exits, as Docker does, so kit diff and kit commit work on it until kit rm removes it. A plain foreground run without --name removes it when the container ends, like docker run --rm: nothing could name it later.`;
  static examples = [
    'sudo <%= config.bin %> run base ls /',
    "sudo <%= config.bin %> run -e GREETING=hi -w /tmp base sh -c 'echo $GREETING from $(pwd)'",
    "sudo <%= config.bin %> run --cpu-quota 50000 --memory 64m base sh -c 'cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us'",
    'sudo <%= config.bin %> run --network none base ip link',
    "sudo <%= config.bin %> run -d --name web -p 8080:80 base busybox httpd -f -p 80 -h /etc",
    'sudo <%= config.bin %> run --trace --hostname box base hostname',
    'sudo <%= config.bin %> run --json base cat /etc/hostname',
  ];
  // strict = false makes oclif show every argument as variadic (IMAGE...): say what is taken instead.
  static usage = 'run [FLAGS] IMAGE [COMMAND...]';
  static strict = false;
  static enableJsonFlag = true;
  static args = {
    image: Args.string({ required: true, description: 'the image (see `kit image ls`)' }),
    command: Args.string({ description: "the command and its arguments (default: the image's Cmd)" }),
  };
  static flags = {
    ...containerFlags,
    ...lifecycleFlags,
    ...cgroupFlags,
    ...networkFlags,
    ...storageFlags,
    ...securityFlags,
    trace: Flags.boolean({ default: false, description: 'print every syscall kit makes (host and container side) on stderr' }),
  };

  /** --json after the image is the container's argument, not kit's flag. */
  public jsonEnabled(): boolean {
    return this.ownArgv().own.includes('--json');
  }

  async run(): Promise<unknown> {
    const { own, command } = this.ownArgv();
    const { args, flags } = await this.parse(RunCommand, own);
    const paths = kitPaths();
    const image = await ensureImage(paths, args.image);
    const spec = {
      ...specFromImage(image, runRequest(flags, command)),
      resources: resourcesFromFlags(flags),
      ...networkSpec(flags),
      ...storageSpec(flags),
      ...securitySpec(flags),
      keepLayer: flags.detach || flags.name !== undefined,
    };
    const json = this.jsonEnabled();
    return startContainer(this, spec, flags, async () => {
      const result = await runContainer(spec, {
        paths,
        stdio: json ? 'capture' : 'inherit',
        onEvent: flags.trace ? (event) => process.stderr.write(renderEvent(event) + '\n') : undefined,
      });
      if (result.failed && !json && !flags.trace) process.stderr.write(renderEvent(result.failed) + '\n');
      if (!json) for (const note of result.notes) process.stderr.write(`kit: ${note}\n`);
      process.exitCode = shellStatus(result);
      return result;
    });
  }

  private ownArgv(): { own: string[]; command: string[] } {
    return splitAtFirstArg(this.argv, optionNames(RunCommand.flags));
  }
}
