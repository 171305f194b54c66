import { Args } from '@oclif/core';
import { findLab, resetLab } from '../../../labs';
import { KitCommand } from '../../base';
import { outputWidth } from '../../flags/view';
import { renderLabText } from '../../render/lab';

export default class LabReset extends KitCommand {
  static summary = 'Start a lab over: the starter replaces lab.ts (kept as lab.ts.bak), its progress is cleared.';
  static examples = ['<%= config.bin %> lab reset pid'];
  static args = { id: Args.string({ required: true, description: 'the lab (see `kit lab`)' }) };

  async run(): Promise<void> {
    const { args } = await this.parse(LabReset);
    const lab = findLab(args.id);
    const file = resetLab(lab.id);
    this.log(renderLabText([`Lab ${lab.id} is back to its starter: ${file} (your old one: ${file}.bak)`], outputWidth(undefined)));
  }
}
