import { Args } from '@oclif/core';
import { checkCommandFor, findLab, startLab } from '../../../labs';
import { KitCommand } from '../../base';
import { outputWidth } from '../../flags/view';
import { renderLabText } from '../../render/lab';

export default class LabStart extends KitCommand {
  static summary = 'Copy a lab\'s starter to ~/kit-labs/ID/ and print the task.';
  static examples = ['<%= config.bin %> lab start pid'];
  static args = { id: Args.string({ required: true, description: 'the lab (see `kit lab`)' }) };

  async run(): Promise<void> {
    const { args } = await this.parse(LabStart);
    const lab = findLab(args.id);
    const file = startLab(lab.id);
    this.log(renderLabText([
      `Lab ${lab.id}: ${lab.title}`,
      '',
      `Edit ${file} (the TODOs), read README.md next to it, and watch the chapter: kit chapter ${lab.chapter}`,
      `Then: ${checkCommandFor(lab)}   (kit lab hint ${lab.id} reveals one hint at a time)`,
    ], outputWidth(undefined)));
  }
}
