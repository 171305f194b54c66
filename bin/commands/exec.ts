import { Args, Flags } from '@oclif/core';
import { execAttached, execDetached, execInContainer, findContainer, kitPaths, renderTrace, shellStatus, startFailure } from '../../core';
import type { ExecStart, KitPaths, TraceEvent } from '../../core';
import { KitCommand } from '../base';
import { execProcess, execProcessFlags } from '../flags/container';
import { containerArg, shimCommand } from '../flags/lifecycle';
import { optionNames, splitAtFirstArg } from '../flags/split-argv';
import { detachKeys, execDetachFlags, stdinOption, terminalFlags, ttyOption } from '../flags/terminal';
import { finishAttached } from '../render/attach-end';

export default class ExecCommand extends KitCommand {
  static summary = "Run a command inside a running container's namespaces.";
  static description = `As docker exec does: a new process joins the container's namespaces with setns(2) through /proc/<pid>/ns/*, forks to enter its PID namespace, takes the container's root as "/" and execs the command. Before it starts, kit writes its pid into the container's cgroups (cgroup.procs), so it counts against the container's limits and in kit stats. It sees the container's hostname, processes and mounts, and runs as the container's user, with its environment, in its working directory, unless -u, -e and -w say otherwise. kit exits with the command's exit code. --trace prints the syscalls on stderr afterwards.

-d starts the command and returns at once with nothing printed, as docker exec -d: a shim of its own (\`kit shim\`) starts it, drops its output, reaps it when it ends and lists it in kit inspect's ExecIDs meanwhile; removing the container ends it. -it runs under such a shim too, with kit attached: Ctrl-P Ctrl-Q (or --detach-keys) detach ("read escape sequence", exit 1, as docker) and the command runs on.`;
  static examples = [
    'sudo <%= config.bin %> exec web hostname',
    'sudo <%= config.bin %> exec web ps -ef',
    'sudo <%= config.bin %> exec --trace web ls /',
    'sudo <%= config.bin %> exec -u nobody -e MODE=debug -w /tmp web env',
    "sudo <%= config.bin %> exec -d web sh -c 'sleep 600'",
    'sudo <%= config.bin %> exec -it web sh',
  ];
  // strict = false makes oclif show every argument as variadic (IMAGE...): say what is taken instead.
  static usage = 'exec [-d] [-it] [--detach-keys KEYS] [-u USER] [-e NAME=value] [-w DIR] [--trace] [--json] CONTAINER COMMAND...';
  static strict = false;
  static enableJsonFlag = true;
  static args = {
    container: containerArg,
    command: Args.string({ required: true, description: 'the command, then its arguments (flags included)' }),
  };
  static flags = {
    trace: Flags.boolean({ default: false, description: 'print the syscall trace on stderr afterwards' }),
    ...terminalFlags,
    ...execDetachFlags,
    ...execProcessFlags,
  };

  async run(): Promise<unknown> {
    const { own, command } = this.ownArgv();
    // The command's name goes to the parser too, for the required-argument check.
    const { args, flags } = await this.parse(ExecCommand, [...own, ...command.slice(0, 1)]);
    const paths = kitPaths();
    const asked = execProcess(flags);
    const keys = detachKeys(flags);
    const target = findContainer(paths, args.container);
    const start: ExecStart = { target, command, process: asked, interactive: flags.interactive, ...ttyOption(flags) };
    if (flags.detach) {
      const started = await execDetached(start, shimCommand(this), paths);
      return { container: target.id, exec: started.id, pid: started.pid };
    }
    // -it: a shim holds the process, so the detach keys can leave it running.
    if (flags.tty && flags.interactive && !this.jsonEnabled()) return this.execAttached(start, paths, keys, flags.trace);
    const result = await execInContainer(target, command, { paths, process: asked, stdio: this.jsonEnabled() ? 'capture' : 'inherit', ...stdinOption(flags), ...ttyOption(flags) });
    if (flags.trace) process.stderr.write(renderTrace(result.trace) + '\n');
    const failed = startFailure(result);
    if (failed) throw failed;
    process.exitCode = shellStatus(result);
    return { container: target.id, exitCode: result.exitCode, signal: result.signal, stdout: result.stdout, stderr: result.stderr, trace: result.trace };
  }

  private async execAttached(start: ExecStart, paths: KitPaths, keys: Buffer, trace: boolean): Promise<unknown> {
    const events: TraceEvent[] = [];
    const end = await execAttached(start, shimCommand(this), paths, { tty: true, stdin: true, detachKeys: keys, onEvent: trace ? (event) => events.push(event) : undefined });
    if (trace) process.stderr.write(renderTrace(events) + '\n');
    finishAttached(end, start.target.name);
    return end;
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
