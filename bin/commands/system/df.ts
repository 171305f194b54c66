import { diskUsage, kitPaths } from '../../../core';
import { KitCommand } from '../../base';
import { humanSize } from '../../render/stats';
import { table } from '../../render/table';

export default class SystemDf extends KitCommand {
  static summary = "Disk space kit uses: images, containers' layers, volumes.";
  static description = `Like docker system df: TOTAL and ACTIVE (images and volumes a container uses, containers running), SIZE on disk (a layer shared by several images counts once) and RECLAIMABLE (what kit system prune would free: stopped containers; with -a, unused images; with --volumes, unused volumes). Sizes are the bytes of the files, as du --apparent-size counts them. --json gives bytes.`;
  static examples = ['sudo <%= config.bin %> system df', 'sudo <%= config.bin %> system df --json'];
  static enableJsonFlag = true;

  async run(): Promise<unknown> {
    await this.parse(SystemDf);
    const rows = diskUsage(kitPaths());
    if (!this.jsonEnabled()) {
      const percent = (r: (typeof rows)[number]) => (r.size ? ` (${Math.round((100 * r.reclaimable) / r.size)}%)` : '');
      this.log(table(['TYPE', 'TOTAL', 'ACTIVE', 'SIZE', 'RECLAIMABLE'], rows.map((r) => [r.type, String(r.total), String(r.active), humanSize(r.size), humanSize(r.reclaimable) + percent(r)])));
    }
    return rows;
  }
}
