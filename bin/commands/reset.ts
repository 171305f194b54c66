import { Flags } from '@oclif/core';
import { KitError, kitPaths, planReset, resetHost } from '../../core';
import { KitCommand } from '../base';
import { outputWidth } from '../flags/view';
import { renderReset } from '../render/reset';

export default class ResetCommand extends KitCommand {
  static summary = 'Undo every host change kit journaled: all containers of this kit root, their mounts, cgroups and links, then kit0 and its iptables rules.';
  static description = [
    'The escape hatch after a broken demo (Docker has none; the nearest is `docker rm -f $(docker ps -aq)` followed by `docker network prune`).',
    'Every container of this kit root (KIT_ROOT, or /run/kit and /var/lib/kit) is removed as `kit rm -f` does: a running one is killed and its owner undoes its journal; one whose kit process was killed (kill -9) is undone from the journal it left.',
    'Then kit0, the KIT nat chain, its rules and ip_forward are restored as `kit network prune` does, but only if no container of another kit root still has an address on kit0.',
    'Images and volumes stay. --dry-run lists every journaled change and changes nothing.',
  ].join(' ');
  static examples = ['sudo <%= config.bin %> reset --dry-run', 'sudo <%= config.bin %> reset', 'KIT_ROOT=/tmp/demo <%= config.bin %> reset --json'];
  static enableJsonFlag = true;
  static flags = { 'dry-run': Flags.boolean({ default: false, description: 'list what would be undone, change nothing' }) };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(ResetCommand);
    const paths = kitPaths();
    if (flags['dry-run']) {
      const plan = planReset(paths);
      if (!this.jsonEnabled()) this.log(renderReset(plan, 'would undo', outputWidth(undefined)));
      return plan;
    }
    const result = await resetHost(paths);
    if (!this.jsonEnabled()) this.log(renderReset(result, 'undid', outputWidth(undefined)));
    if (result.problems.length) throw new KitError(`could not undo everything: ${result.problems.join('; ')}`, 'what is left stays journaled: run kit reset again once it is free (a busy mount, a process holding it)');
    return result;
  }
}
