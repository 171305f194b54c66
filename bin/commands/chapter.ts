import { Args, Flags } from '@oclif/core';
import { findChapter, loadChapters } from '../../chapters';
import { requirementsOf, runChapter, StraceObserver, unconfinedNote, unmet } from '../../core';
import { KitCommand } from '../base';
import { storageFlags } from '../flags/storage';
import { renderChapter, renderChapterList } from '../render/chapter';

export default class ChapterCommand extends KitCommand {
  static summary = 'List the chapters, or run one and watch what it turns on.';
  static description = `Each chapter switches on one Linux isolation feature and runs a command inside it. kit prints the concept, the host's view before, every syscall kit makes (on the host and inside the container), the command's output, the host's view of the container process, and what to try next.

Arguments after \`--\` replace the chapter's command. Running a chapter creates namespaces, so it needs root: run kit with sudo.`;
  static examples = [
    { description: 'List the chapters and whether each can run on this machine:', command: '<%= config.bin %> chapter' },
    { description: 'Run the PID namespace chapter (as root):', command: '<%= config.bin %> chapter pid' },
    { description: 'Run your own command in it instead of ps -ef:', command: "<%= config.bin %> chapter pid -- sh -c 'echo my pid is $$; ps -ef'" },
    { description: 'Add the real strace of the process inside, without kit\'s own trace:', command: '<%= config.bin %> chapter pid --strace --no-trace' },
    { description: 'Everything as one JSON object (trace, output, host probes):', command: '<%= config.bin %> chapter uts --json' },
  ];
  // strict = false makes oclif show every argument as variadic (IMAGE...): say what is taken instead.
  static usage = 'chapter [ID] [--json] [--no-trace] [--explain] [--strace] [--storage-driver <value>] [-- COMMAND...]';
  static strict = false;
  static enableJsonFlag = true;
  static args = { id: Args.string({ description: 'the chapter to run; omit it to list them all' }) };
  static flags = {
    trace: Flags.boolean({ default: true, allowNo: true, description: 'show the syscall trace (--no-trace hides it)' }),
    explain: Flags.boolean({ default: false, description: 'add a longer explanation under each call' }),
    strace: Flags.boolean({ default: false, description: 'also run the real strace on the process inside and show its lines' }),
    ...storageFlags,
  };

  async run(): Promise<unknown> {
    const { args, argv, flags } = await this.parse(ChapterCommand);
    if (!args.id) return this.list();
    const chapter = findChapter(args.id);
    const strace = flags.strace ? (StraceObserver.check(), new StraceObserver()) : undefined;
    const command = (argv as string[]).slice(1);
    const unconfined = unconfinedNote(chapter);
    if (command.length && unconfined) this.warn(`chapter ${chapter.id} ${unconfined}; your command runs so too, as root`);
    const result = await runChapter(chapter, { command, beforeRelease: strace && ((pid) => strace.attach(pid)), storageDriver: flags['storage-driver'] });
    const straceLines = await strace?.lines();
    if (!this.jsonEnabled()) {
      this.log(renderChapter(chapter, result, { trace: flags.trace, explain: flags.explain, strace: straceLines }));
    }
    if (result.failed) process.exitCode = result.container.exitCode ?? 1;
    return { ...result, strace: straceLines };
  }

  private list(): unknown {
    const rows = loadChapters().map((chapter) => ({ chapter, problems: unmet(requirementsOf(chapter)) }));
    if (!this.jsonEnabled()) this.log(renderChapterList(rows));
    return rows.map(({ chapter, problems }) => ({
      id: chapter.id,
      title: chapter.title,
      turnsOn: chapter.turnsOn,
      ready: problems.length === 0,
      problems,
    }));
  }
}
