import { kitPaths, systemInfo, wrapHanging, type SystemInfo } from '../../core';
import { KitCommand } from '../base';
import { outputWidth } from '../flags/view';
import { humanSize } from '../render/stats';

export default class InfoCommand extends KitCommand {
  static summary = 'What kit sees on this machine, like `docker info`: storage driver and why, cgroups, kernel features.';
  static examples = ['<%= config.bin %> info', '<%= config.bin %> info --json'];
  static enableJsonFlag = true;

  async run(): Promise<unknown> {
    await this.parse(InfoCommand);
    const info = systemInfo(kitPaths());
    if (!this.jsonEnabled()) {
      const yes = (b: boolean) => (b ? 'yes' : 'no');
      this.log(
        [
          `Storage Driver: ${info.storageDriver ?? 'none'}`,
          `  Why: ${info.storageReason}`,
          `  Drivers, in the order Docker tries them:`,
          ...info.drivers.map((d) => `    ${d.name}: ${d.usable ? `works here${d.notChosen ? `, but not picked by itself: ${d.notChosen}` : ''}` : `not here: ${d.problem}`}`),
          `  Backing Filesystem: ${info.backingFilesystem ?? 'unknown'} (${info.dataDir})`,
          ...poolLines(info.devicemapperPool),
          `Cgroup Driver: ${info.cgroupDriver}`,
          `Cgroup Version: ${info.cgroupVersion}`,
          `Kernel Version: ${info.kernel}`,
          `Namespaces: ${info.namespaces.join(', ')}`,
          `Union filesystems in /proc/filesystems: overlay ${yes(info.unionFilesystems.overlay)}, aufs ${yes(info.unionFilesystems.aufs)}`,
        ].flatMap((line) => wrapHanging(line, outputWidth(undefined), 2)).join('\n'),
      );
    }
    return info;
  }
}

/** devicemapper's pool as `docker info` showed it (loop-lvm: the files are sparse, so used is what they hold). */
function poolLines(pool: SystemInfo['devicemapperPool']): string[] {
  if (!pool) return [];
  return [
    `  devicemapper Pool Name: ${pool.pool} (${pool.active ? 'active' : 'not active: no container runs on it'})`,
    `  devicemapper Data Space Used: ${humanSize(pool.dataUsed)} of ${humanSize(pool.dataTotal)}`,
    `  devicemapper Metadata Space Used: ${humanSize(pool.metadataUsed)} of ${humanSize(pool.metadataTotal)}`,
  ];
}
