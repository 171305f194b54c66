import { loadLabs, readProgress } from '../../../labs';
import { KitCommand } from '../../base';
import { outputWidth } from '../../flags/view';
import { renderLabList } from '../../render/lab';

export default class LabList extends KitCommand {
  static summary = 'List the labs in order, with your progress.';
  static description = `In each lab you write one container feature yourself (choosing the clone flags, the mount call, the cgroup file write, the iptables rule), in TypeScript against kit's public API, and a checker runs it for real and checks it from the host. Each lab goes with the chapter that shows the same feature.

Progress is kept in ~/.kit/progress.json; your code in ~/kit-labs/ID/.`;
  static examples = ['<%= config.bin %> lab', '<%= config.bin %> lab start uts', '<%= config.bin %> lab check uts', '<%= config.bin %> lab hint uts'];
  static enableJsonFlag = true;

  async run(): Promise<unknown> {
    await this.parse(LabList); // an unknown flag or argument is refused, as by every command
    const progress = readProgress();
    const rows = loadLabs().map((lab) => ({ lab, progress: progress[lab.id] ?? { checks: 0, passed: false, hintsShown: 0 } }));
    if (!this.jsonEnabled()) this.log(renderLabList(rows, outputWidth(undefined)));
    // needsRoot: why `kit lab check` of it needs sudo (one line), null when it runs without.
    return rows.map(({ lab, progress: p }) => ({ id: lab.id, title: lab.title, chapter: lab.chapter, needsRoot: typeof lab.withoutRoot === 'object' ? lab.withoutRoot.needsRoot : null, ...p }));
  }
}
