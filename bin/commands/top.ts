import { spawnSync } from 'node:child_process';
import { Args } from '@oclif/core';
import { containerPids, findContainer, KitError, kitPaths } from '../../core';
import { KitCommand } from '../base';

export default class TopCommand extends KitCommand {
  static summary = "Show a container's processes as the host's ps sees them.";
  static description = `Like docker top: the processes in the container's cgroup (its first process, its children, what kit exec started), listed by the host's ps with their host pids, not the pids they see inside (where the first one is 1).`;
  static examples = ['sudo <%= config.bin %> top web'];
  static enableJsonFlag = true;
  static args = { container: Args.string({ required: true, description: 'name, id or unique id prefix' }) };

  async run(): Promise<unknown> {
    const { args } = await this.parse(TopCommand);
    const state = findContainer(kitPaths(), args.container);
    const pids = containerPids(state);
    if (pids.length === 0) throw new KitError(`container ${state.name} has no processes`, 'it is ending, or still being set up');
    const ps = spawnSync('ps', ['-o', 'user,pid,ppid,c,stime,tty,time,cmd', '-p', pids.join(',')], { encoding: 'utf8' });
    if (ps.error) throw new KitError(`could not run ps: ${ps.error.message}`, 'install procps');
    if (!this.jsonEnabled()) process.stdout.write(ps.stdout);
    return { pids, ps: ps.stdout };
  }
}
