import { Args, Flags } from '@oclif/core';
import { execInContainer, findContainer, kitPaths, renderTrace, shellStatus, startFailure } from '../../core';
import { KitCommand } from '../base';
import { execProcess, execProcessFlags } from '../flags/container';
import { containerArg } from '../flags/lifecycle';
import { optionNames, splitAtFirstArg } from '../flags/split-argv';
import { stdinOption, terminalFlags, ttyOption } from '../flags/terminal';

export default class ExecCommand extends KitCommand {
  static summary = "Run a command inside a running container's namespaces.";
  static description = `As docker exec does: a new process joins the container's namespaces with setns(2) through /proc/<pid>/ns/*, forks to enter its PID namespace, takes the container's root as "/" and execs the command. Before it starts, kit writes its pid into the container's cgroups (cgroup.procs), so it counts against the container's limits and in kit stats. It sees the container's hostname, processes and mounts, and runs as the container's user, with its environment, in its working directory, unless -u, -e and -w say otherwise. kit exits with the command's exit code. --trace prints the syscalls on stderr afterwards.`;
  static examples = ['sudo <%= config.bin %> exec web hostname', 'sudo <%= config.bin %> exec web ps -ef', 'sudo <%= config.bin %> exec --trace web ls /', 'sudo <%= config.bin %> exec -u nobody -e MODE=debug -w /tmp web env'];
  // strict = false makes oclif show every argument as variadic (IMAGE...): say what is taken instead.
  static usage = 'exec [-it] [-u USER] [-e NAME=value] [-w DIR] [--trace] [--json] CONTAINER COMMAND...';
  static strict = false;
  static enableJsonFlag = true;
  static args = {
    container: containerArg,
    command: Args.string({ required: true, description: 'the command, then its arguments (flags included)' }),
  };
  static flags = {
    trace: Flags.boolean({ default: false, description: 'print the syscall trace on stderr afterwards' }),
    ...terminalFlags,
    ...execProcessFlags,
  };

  async run(): Promise<unknown> {
    const { own, command } = this.ownArgv();
    // The command's name goes to the parser too, for the required-argument check.
    const { args, flags } = await this.parse(ExecCommand, [...own, ...command.slice(0, 1)]);
    const paths = kitPaths();
    const asked = execProcess(flags);
    const target = findContainer(paths, args.container);
    const result = await execInContainer(target, command, { paths, process: asked, stdio: this.jsonEnabled() ? 'capture' : 'inherit', ...stdinOption(flags), ...ttyOption(flags) });
    if (flags.trace) process.stderr.write(renderTrace(result.trace) + '\n');
    const failed = startFailure(result);
    if (failed) throw failed;
    process.exitCode = shellStatus(result);
    return { container: target.id, exitCode: result.exitCode, signal: result.signal, stdout: result.stdout, stderr: result.stderr, trace: result.trace };
  }

  /** Only kit's own arguments count: `kit exec web grep --json x` passes --json to grep. */
  jsonEnabled(): boolean {
    return this.ownArgv().own.includes('--json');
  }

  /** kit's flags, then the container; the command after it (a `--` after the container is allowed and dropped). */
  private ownArgv(): { own: string[]; command: string[] } {
    const { own, command } = splitAtFirstArg(this.argv, optionNames(ExecCommand.flags));
    return { own, command: command[0] === '--' ? command.slice(1) : command };
  }
}
