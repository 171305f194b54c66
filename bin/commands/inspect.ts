import { Args, Flags } from '@oclif/core';
import { ImageStore, inspectContainer, KitError, kitPaths, lookupAnyContainer } from '../../core';
import { KitCommand } from '../base';
import { renderTemplate } from '../render/template';

export default class InspectCommand extends KitCommand {
  static summary = 'Show containers or images as JSON: state, exit code, OOMKilled, pid, namespaces, cgroups, network, layers.';
  static description = `Like docker inspect: a container (running or exited) by name, id or id prefix, or an image by name. A container shows its state (status, exit code, OOMKilled, host pid, start and finish times), its spec, its namespaces by inode (as /proc/<pid>/ns names them), its cgroup directories, its address on kit0 and published ports, and its layer's directories; an image shows what kit image inspect does. -f prints one Go template per object instead, e.g. '{{.State.ExitCode}}'.`;
  static examples = ['sudo <%= config.bin %> inspect web', "sudo <%= config.bin %> inspect -f '{{.State.Status}} {{.State.ExitCode}}' web", 'sudo <%= config.bin %> inspect base'];
  static strict = false;
  static usage = 'inspect [-f FORMAT] NAME|ID...';
  static args = { target: Args.string({ required: true, description: 'containers or images, by name, id or id prefix' }) };
  static flags = {
    format: Flags.string({ char: 'f', helpValue: 'TEMPLATE', description: "a Go template per object, e.g. '{{.State.Pid}}'" }),
    type: Flags.string({ options: ['container', 'image'], description: 'look only for this kind of object' }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(InspectCommand);
    const paths = kitPaths();
    const objects = (argv as string[]).map((ref) => this.find(paths, ref, flags.type));
    if (flags.format === undefined) this.log(JSON.stringify(objects, null, 2));
    else for (const o of objects) this.log(renderTemplate(flags.format, o));
  }

  private find(paths: ReturnType<typeof kitPaths>, ref: string, type: string | undefined): Record<string, unknown> {
    if (type !== 'image') {
      const container = lookupAnyContainer(paths, ref);
      if (container) return inspectContainer(paths, container);
    }
    const store = new ImageStore(paths);
    if (type !== 'container' && store.list().some((i) => i.name === ref)) {
      const image = store.get(ref);
      return { Id: image.name, ...image, layerDirs: image.layers.map((d) => store.layerDir(d)) };
    }
    throw new KitError(`no such object: ${ref}`, '`kit ps -a` lists the containers, `kit images` the images');
  }
}
