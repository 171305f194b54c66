import { Args } from '@oclif/core';
import { runShim } from '../../core';
import { KitCommand } from '../base';

/** Started by `kit run -d` only (core/engine/detached.ts), never by hand. */
export default class ShimCommand extends KitCommand {
  static hidden = true;
  static summary = 'Own one detached container until it ends (started by kit run -d).';
  static args = { id: Args.string({ required: true }) };

  async run(): Promise<void> {
    const { args } = await this.parse(ShimCommand);
    process.title = `kit shim ${args.id}`;
    await runShim(args.id);
  }
}
