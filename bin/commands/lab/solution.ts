import { Args } from '@oclif/core';
import { checkCommandFor, findLab, progressOf, solutionOf } from '../../../labs';
import { KitError } from '../../../core';
import { KitCommand } from '../../base';

export default class LabSolution extends KitCommand {
  static summary = 'Show the reference solution of a lab, once you have tried a check.';
  static examples = ['<%= config.bin %> lab solution pid'];
  static args = { id: Args.string({ required: true, description: 'the lab (see `kit lab`)' }) };

  async run(): Promise<void> {
    const { args } = await this.parse(LabSolution);
    const lab = findLab(args.id);
    if (progressOf(lab.id).checks === 0) throw new KitError(`try lab ${lab.id} first`, `run \`${checkCommandFor(lab)}\` at least once (and \`kit lab hint ${lab.id}\`): the solution is shown after a try`);
    this.log(solutionOf(lab.id));
  }
}
