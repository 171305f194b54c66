import { Args } from '@oclif/core';
import { imageHistory, ImageStore, kitPaths } from '../../../core';
import { KitCommand } from '../../base';

export default class ImageHistoryCommand extends KitCommand {
  static summary = 'The steps that made an image, newest first, and the layer each added.';
  static examples = ['<%= config.bin %> image history app'];
  static enableJsonFlag = true;
  static args = { image: Args.string({ required: true, description: 'image name' }) };

  async run(): Promise<unknown> {
    const { args } = await this.parse(ImageHistoryCommand);
    const rows = imageHistory(new ImageStore(kitPaths()), args.image);
    if (!this.jsonEnabled()) {
      this.log(`${'LAYER'.padEnd(14)}${'SIZE'.padStart(10)}  CREATED BY`);
      for (const r of rows) this.log(`${(r.layer ? r.layer.slice(7, 19) : '<none>').padEnd(14)}${formatSize(r.size).padStart(10)}  ${r.createdBy}`);
    }
    return rows;
  }
}

function formatSize(bytes: number): string {
  if (bytes < 1000) return `${bytes}B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)}kB`;
  return `${(bytes / 1e6).toFixed(1)}MB`;
}
