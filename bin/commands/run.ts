import { Args, Flags } from '@oclif/core';
import { ensureImage, ImageStore, imageUser, KitError, kitPaths, newContainerId, recordingHeader, runAttached, runContainer, shellStatus, specFromImage, withHome } from '../../core';
import type { AttachEnd, ContainerSpec, KitPaths, RunRecord, TraceEvent } from '../../core';
import { outputWidth } from '../flags/view';
import { PlainRunPrinter, processOutput } from '../render/run-plain';
import { kitInvocation } from '../invocation';
import { baseImageProgress } from '../render/progress';
import { RunSession } from '../run-session';
import { KitCommand } from '../base';
import { cgroupFlags, resourcesFromFlags, rootlessResources, warnIgnoredLimits } from '../flags/cgroups';
import { containerFlags, processSpec, runRequest } from '../flags/container';
import { keepAfterExit, lifecycleFlags, logOptions, restartOption, shimCommand, startContainer } from '../flags/lifecycle';
import { hostNetworkHostname, networkFlags, networkSpec, publishAll } from '../flags/network';
import { securityFlags, securitySpec } from '../flags/security';
import { readOnlyFlag, storageFlags, storageSpec } from '../flags/storage';
import { metadataFlags, metadataSpec } from '../flags/metadata';
import { detachKeys, detachKeysFlag, interactiveOption, stdinOption, terminalFlags, ttyOption } from '../flags/terminal';
import { mountsFromFlags, volumeFlags } from '../flags/volumes';
import { usernsFlags, usernsSpec } from '../flags/userns';
import { optionNames, splitAtFirstArg } from '../flags/split-argv';
import { namespaceFlags, namespaceSpec } from '../flags/namespaces';
import { deviceFlags, deviceSpec } from '../flags/devices';
import { cidfileFlag, writeCidfile } from '../flags/cidfile';

export default class RunCommand extends KitCommand {
  static summary = 'Run a command in a new container made from an image.';
  static description = `Like docker run, in the foreground: the container gets its own mount, UTS, IPC, PID, network (unless --network host) and cgroup namespaces and the image as its root filesystem (pivot_root), and its output is yours as it comes (and logged: kit logs shows it after the run, as docker logs does). Its exit code is kit's. --trace also prints every syscall kit makes, on stderr. The image \`base\` is built on first use.

Exited containers: a container started with -d or --name is kept after it exits, as Docker keeps every container: kit ps -a shows it with its exit code, kit logs its output, kit inspect its state, kit diff and kit commit its layer, until kit rm removes it. --rm removes it when it ends. A plain foreground run without --name is removed too, as if --rm were given (kit's default, unlike Docker's: nothing could name it later).

Exit codes, as Docker's: the command's own; 125 when kit itself failed (a bad flag value, a missing image); 126 when the command cannot be run; 127 when it is not found; 128 + N when signal N ended it.`;
  static examples = [
    'sudo <%= config.bin %> run base ls /',
    'echo hello | sudo <%= config.bin %> run -i base cat',
    'sudo <%= config.bin %> run -it base sh',
    "sudo <%= config.bin %> run -e GREETING=hi -w /tmp base sh -c 'echo $GREETING from $(pwd)'",
    'sudo <%= config.bin %> run --cpu-quota 50000 --memory 64m base cat /proc/self/cgroup',
    'sudo <%= config.bin %> run --network none base ip link',
    "sudo <%= config.bin %> run -d --name web -p 8080:80 base busybox httpd -f -p 80 -h /etc",
    'sudo <%= config.bin %> run --trace --hostname box base hostname',
    'sudo <%= config.bin %> run --json base cat /etc/hostname',
  ];
  // strict = false makes oclif show every argument as variadic (IMAGE...): say what is taken instead.
  static usage = 'run [FLAGS] IMAGE [COMMAND...]';
  static strict = false;
  static enableJsonFlag = true;
  static kitErrorExitCode = 125;
  static args = {
    image: Args.string({ required: true, description: 'the image (see `kit image ls`)' }),
    command: Args.string({ description: "the command and its arguments (default: the image's Cmd)" }),
  };
  static flags = {
    ...containerFlags,
    ...lifecycleFlags,
    ...terminalFlags,
    ...detachKeysFlag,
    ...volumeFlags,
    ...cgroupFlags,
    ...networkFlags,
    ...storageFlags,
    ...readOnlyFlag,
    ...metadataFlags,
    ...securityFlags,
    ...usernsFlags,
    ...namespaceFlags,
    ...deviceFlags,
    ...cidfileFlag,
    trace: Flags.boolean({ default: false, description: 'print every syscall kit makes (host and container side) on stderr' }),
    record: Flags.string({ description: 'also write the run (trace, output, exit) to this file for `kit replay`; the container then gets no terminal of its own, stdin is /dev/null' }),
  };

  /** --json after the image is the container's argument, not kit's flag. */
  public jsonEnabled(): boolean {
    return this.ownArgv().own.includes('--json');
  }

  async run(): Promise<unknown> {
    const { own, command } = this.ownArgv();
    const { args, flags } = await this.parse(RunCommand, own);
    const paths = kitPaths();
    const image = await ensureImage(paths, args.image, baseImageProgress());
    const fromImage = specFromImage(image, runRequest(flags, command));
    const roots = new ImageStore(paths).layerDirs(image).reverse();
    const runAs = flags.user ?? imageUser(image); // -u, else the image's USER (root only when neither names one)
    const userns = usernsSpec(flags, fromImage.namespaces);
    const spec = {
      ...fromImage,
      ...userns,
      resources: rootlessResources(resourcesFromFlags(flags)),
      ...networkSpec(flags),
      ...storageSpec(flags),
      ...(flags['read-only'] ? { readOnly: true } : {}),
      ...metadataSpec(flags),
      ...processSpec({ ...flags, user: runAs }, roots),
      env: withHome(fromImage.env, runAs, roots),
      ...securitySpec(flags),
      ...logOptions(flags),
      ...restartOption(flags),
      ...ttyOption(flags),
      ...interactiveOption(flags),
      ...mountsFromFlags(flags),
      ...deviceSpec(flags),
      keepLayer: keepAfterExit(flags),
    };
    spec.ports = publishAll(flags, image, spec.ports);
    if (spec.network === 'host') spec.hostname = hostNetworkHostname(flags.hostname);
    Object.assign(spec, namespaceSpec(flags, { ...spec, ...userns }, paths));
    warnIgnoredLimits(spec.resources);
    const json = this.jsonEnabled();
    if (flags.record && flags.detach) throw new KitError('--record records a run in the foreground', 'drop -d (a detached container\'s output is in `kit logs`)');
    // Only a recording has a header (its host facts, how kit was invoked: a walk of PATH).
    const session = flags.record ? new RunSession(recordingHeader({ kind: 'run', kit: this.config.version, command: ['run', ...this.argv], invocation: kitInvocation(this.config.root), trace: flags.trace }), { record: flags.record }) : undefined;
    const printer = json ? undefined : new PlainRunPrinter({ trace: flags.trace, width: outputWidth(undefined, process.env, process.stderr) }, processOutput);
    // The recording and the terminal get the same records: a replay prints what this run printed.
    const emit = (record: RunRecord) => {
      session?.add(record);
      printer?.feed(record);
    };
    const keys = detachKeys(flags);
    const id = newContainerId();
    const removeCidfile = writeCidfile(flags.cidfile, id);
    return startContainer(this, spec, { ...flags, id }, async () => {
      // -it: a shim owns the container and this kit attaches to it, so Ctrl-P Ctrl-Q can leave it running.
      if (flags.tty && flags.interactive && !json && !session) return this.runAttached(spec, paths, keys, emit, flags.trace, id);
      try {
        const result = await runContainer(spec, {
          id,
          paths,
          // Passed on byte for byte as it comes, and logged (kit logs after the run, as docker logs).
          stdio: json || session ? 'capture' : 'copy',
          log: true, // --json and --record capture the output: it is logged all the same, as Docker logs every container's
          ...stdinOption(flags),
          beforeCopy: () => printer?.flush(), // the trace lines held so far come before the output
          onEvent: (event) => emit({ type: 'trace', event }),
          onOutput: (stream, text) => emit({ type: 'output', stream, text }),
          onExited: (status) => emit({ type: 'exit', ...status, stoppedByKit: false }),
        });
        if (result.notes.length) emit({ type: 'notes', notes: result.notes });
        emit({ type: 'end', result, failed: result.failed });
        if (result.failed) removeCidfile(); // the plan stopped before the command ran
        process.exitCode = shellStatus(result);
        return result;
      } finally {
        await session?.finish();
      }
    }).catch((err) => {
      removeCidfile(); // as Docker: a container that did not start leaves no id file
      throw err;
    });
  }

  /**
   * `kit run -it` as docker's: the container is started by a shim (as with
   * -d) and this kit is attached to it until the command ends (its exit code
   * is kit's) or the detach keys leave it running (kit attach goes back).
   */
  private async runAttached(spec: ContainerSpec, paths: KitPaths, keys: Buffer, emit: (record: RunRecord) => void, trace: boolean, id: string): Promise<AttachEnd> {
    const onEvent = trace ? (event: TraceEvent) => emit({ type: 'trace', event }) : undefined;
    const end = await runAttached(spec, shimCommand(this), paths, { tty: true, stdin: true, detachKeys: keys, onEvent }, id);
    if ('detached' in end) {
      process.stderr.write('read escape sequence\n');
      return end;
    }
    if ('failed' in end) throw new KitError(end.failed.message, end.failed.hint ?? undefined, end.failed.exitCode);
    if ('lost' in end) throw new KitError(`the shim of container ${end.id} ended without saying how the container did`, '`kit ps -a` and `kit logs` may tell');
    if (end.exit.notes.length) emit({ type: 'notes', notes: end.exit.notes });
    emit({ type: 'end', result: end.exit, failed: end.exit.failed });
    process.exitCode = shellStatus(end.exit);
    return end;
  }

  private ownArgv(): { own: string[]; command: string[] } {
    return splitAtFirstArg(this.argv, optionNames(RunCommand.flags));
  }
}
