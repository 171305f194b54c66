import { Args } from '@oclif/core';
import { findLab, progressOf, updateProgress } from '../../../labs';
import { wrapWords } from '../../../core';
import { KitCommand } from '../../base';
import { outputWidth } from '../../flags/view';
import { renderLabText } from '../../render/lab';

export default class LabHint extends KitCommand {
  static summary = 'Reveal the next hint of a lab (one at a time; the ones already shown are repeated).';
  static examples = ['<%= config.bin %> lab hint pid'];
  static enableJsonFlag = true;
  static args = { id: Args.string({ required: true, description: 'the lab (see `kit lab`)' }) };

  async run(): Promise<unknown> {
    const { args } = await this.parse(LabHint);
    const lab = findLab(args.id);
    const shown = Math.min(progressOf(lab.id).hintsShown + 1, lab.hints.length);
    updateProgress(lab.id, (p) => ({ ...p, hintsShown: shown }));
    const hints = lab.hints.slice(0, shown);
    if (!this.jsonEnabled()) {
      hints.forEach((h, i) => this.log(wrapWords(`Hint ${i + 1}/${lab.hints.length}: ${h}`, outputWidth(undefined) - 2).join('\n  ')));
      if (shown === lab.hints.length) this.log(renderLabText(['', `That was the last hint. After a check, \`kit lab solution ${lab.id}\` shows the reference solution.`], outputWidth(undefined)));
    }
    return { lab: lab.id, shown, total: lab.hints.length, hints };
  }
}
