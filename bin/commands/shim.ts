import { Args } from '@oclif/core';
import { runShim } from '../../core';
import { KitCommand } from '../base';

/** Started by kit itself only (core/engine/detached.ts, exec-session.ts), never by hand. */
export default class ShimCommand extends KitCommand {
  static hidden = true;
  static summary = 'Own one detached container, or one exec\'d process, until it ends (started by kit run -d/-it, kit start, kit exec -d/-it).';
  static args = { id: Args.string({ required: true }) };

  async run(): Promise<void> {
    const { args } = await this.parse(ShimCommand);
    process.title = `kit shim ${args.id}`;
    await runShim(args.id);
  }
}
