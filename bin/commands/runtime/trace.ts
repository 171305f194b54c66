import { Args, Flags } from '@oclif/core';
import { chalk, kitPaths, ociTrace, renderEvent } from '../../../core';
import { KitCommand } from '../../base';
import { streamView } from '../../flags/view';

/** What each kit-runtime verb is, said once above its calls. */
const VERB: Record<string, string> = {
  create: "create: the container is set up (namespaces, cgroups, mounts, root switch, confinement) and its init waits on exec.fifo; kit-runtime exits, the caller's subreaper (conmon) becomes its parent",
  start: 'start: exec.fifo is opened, the waiting init goes on and execs the command',
  exec: 'exec: one more process joins the container (setns into its namespaces, its root, its cgroups)',
  kill: 'kill: a signal to the container, from the host',
  pause: 'pause: the cgroup freezer stops every process of the container',
  resume: 'resume: the cgroup freezer thaws them',
  delete: "delete: the journal of the container's host changes is undone, newest first",
};

export default class RuntimeTrace extends KitCommand {
  static summary = 'Show what a container run by kit-runtime (podman, containerd...) turned into: every syscall, verb by verb.';
  static description = `kit-runtime keeps each container's trace under its --root (default /run/kit-runtime), even after delete (the newest 200). The id is the one the engine gave: podman ps -a --no-trunc shows it.`;
  static examples = ['sudo <%= config.bin %> runtime trace 3f1129b8dcf7...', 'sudo <%= config.bin %> runtime trace --root /run/kit-runtime mybox --json'];
  static enableJsonFlag = true;
  static args = { id: Args.string({ required: true, description: "the container's id" }) };
  static flags = {
    root: Flags.string({ description: "kit-runtime's --root", default: '/run/kit-runtime' }),
    width: Flags.integer({ min: 20, max: 1000, description: "fit the output to N columns (default: the terminal's width, or COLUMNS)" }),
    big: Flags.boolean({ default: false, description: 'for a projector: no dim text' }),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(RuntimeTrace);
    const sections = ociTrace(kitPaths({ ...process.env, KIT_ROOT: flags.root }), args.id);
    if (this.jsonEnabled()) return sections;
    const view = streamView({ width: flags.width, big: flags.big });
    for (const section of sections) {
      const by = section.by === 'native' ? ', by the native fast path (native-rs/src/runtime), not Node' : '';
      this.log(chalk.bold(`kit-runtime ${VERB[section.verb] ?? section.verb}`) + (section.at ? chalk.dim(`  (${section.at}${by})`) : ''));
      for (const event of section.events) this.log(renderEvent(event, { width: view.width, big: view.big }));
      this.log('');
    }
    return sections;
  }
}
