import { Args, Command, loadHelpClass } from '@oclif/core';

/** `kit help chapter` = `kit chapter --help`, without loading the help plugin at every start. */
export default class HelpCommand extends Command {
  static summary = 'Show help for kit or for one of its commands.';
  static examples = ['<%= config.bin %> help chapter'];
  static strict = false;
  static args = { command: Args.string({ description: 'the command to explain', required: false }) };

  async run(): Promise<void> {
    const { argv } = await this.parse(HelpCommand);
    const Help = await loadHelpClass(this.config);
    await new Help(this.config).showHelp(argv as string[]);
  }
}
