import { Args, Flags } from '@oclif/core';
import { findChapter, loadChapters } from '../../chapters';
import { chalk, recordingHeader, requirementsOf, runChapter, StraceObserver, unconfinedNote, unmet, viaUserNamespace } from '../../core';
import type { Chapter, RecordedChapter } from '../../core';
import { KitCommand } from '../base';
import { outputWidth, pacing, streamView, viewFlags } from '../flags/view';
import { storageFlags } from '../flags/storage';
import { cgroupFlags } from '../flags/cgroups';
import { kitInvocation } from '../invocation';
import { renderChapterList } from '../render/chapter';
import { kitMessage } from '../render/kit-message';
import { RunSession } from '../run-session';

export default class ChapterCommand extends KitCommand {
  static summary = 'List the chapters, or run one and watch what it turns on.';
  static description = `Each chapter switches on one Linux isolation feature and runs a command inside it. kit prints, as it happens: the concept, the host's view before, every syscall kit makes (on the host and inside the container), the command's output, the host's view of the container process, and what to try next. The output fits the terminal (--width, COLUMNS); --pace and --step hold each section for a live demo, --big suits a projector.

--record FILE keeps the run (JSON lines: what was printed and the data behind it) for \`kit replay\`, which needs no root.

Arguments after \`--\` replace the chapter's command. Running a chapter creates namespaces, so it needs root: run kit with sudo.`;
  static examples = [
    { description: 'List the chapters and whether each can run on this machine:', command: '<%= config.bin %> chapter' },
    { description: 'Run the PID namespace chapter (as root):', command: '<%= config.bin %> chapter pid' },
    { description: 'Run your own command in it instead of ps -ef:', command: "<%= config.bin %> chapter pid -- sh -c 'echo my pid is $$; ps -ef'" },
    { description: 'Add the real strace of the process inside, without kit\'s own trace:', command: '<%= config.bin %> chapter pid --strace --no-trace' },
    { description: 'In front of a class: one section per Enter, for the projector:', command: '<%= config.bin %> chapter net --step --big' },
    { description: 'Record it, then replay it anywhere (no root):', command: '<%= config.bin %> chapter pid --record pid.kitrec && kit replay pid.kitrec' },
    { description: 'Everything as one JSON object (trace, output, host probes):', command: '<%= config.bin %> chapter uts --json' },
  ];
  // strict = false makes oclif show every argument as variadic (IMAGE...): say what is taken instead.
  static usage = 'chapter [ID] [--json] [--no-trace] [--explain] [--strace] [--width N] [--pace|--step] [--big] [--record FILE] [--html FILE] [--storage-driver <value>] [-- COMMAND...]';
  static strict = false;
  static enableJsonFlag = true;
  static args = { id: Args.string({ description: 'the chapter to run; omit it to list them all' }) };
  static flags = {
    trace: Flags.boolean({ default: true, allowNo: true, description: 'show the syscall trace (--no-trace hides it)' }),
    explain: Flags.boolean({ default: false, description: 'explain each kind of call once, under its first call' }),
    strace: Flags.boolean({ default: false, description: "also run the real strace on the process inside and show the command's calls" }),
    record: Flags.string({ description: 'write the run to this file (JSON lines) for `kit replay`' }),
    html: Flags.string({ description: 'also write the run as one self-contained HTML page (timeline, process tree, network, diffs)' }),
    ...viewFlags,
    ...storageFlags,
    'cgroup-driver': cgroupFlags['cgroup-driver'],
  };

  async run(): Promise<unknown> {
    const { args, argv, flags } = await this.parse(ChapterCommand);
    if (!args.id) return this.list(flags.width);
    const chapter = findChapter(args.id);
    const strace = flags.strace ? (StraceObserver.check(), new StraceObserver()) : undefined;
    const command = (argv as string[]).slice(1);
    const unconfined = unconfinedNote(chapter);
    if (command.length && unconfined) process.stderr.write(`${chalk.yellow(kitMessage(`warning: chapter ${chapter.id} ${unconfined}; your command runs so too, as root`))}\n`);
    const header = recordingHeader({ kind: 'chapter', kit: this.config.version, command: ['chapter', ...this.argv], invocation: kitInvocation(this.config.root), chapter: recordedChapter(chapter) });
    const session = new RunSession(header, { view: this.jsonEnabled() ? undefined : streamView(flags), pacing: pacing(flags), record: flags.record, html: flags.html });
    let output: unknown;
    try {
      const result = await runChapter(chapter, { command, onRecord: session.add, beforeRelease: strace && ((pid) => strace.attach(pid)), storageDriver: flags['storage-driver'], imageProgress: (line) => session.add({ type: 'progress', line }), cgroupDriver: flags['cgroup-driver'] as 'v1' | 'v2' | undefined });
      const straceLines = await strace?.lines();
      if (straceLines) session.add({ type: 'strace', lines: straceLines });
      output = { ...result, strace: straceLines };
      session.add({ type: 'end', result: output, failed: result.failed, claims: result.claims });
      if (result.failed) process.exitCode = result.container.exitCode ?? 1;
    } finally {
      await session.finish();
    }
    return output;
  }

  private list(width: number | undefined): unknown {
    const rows = loadChapters().map((chapter) => ({ chapter, problems: unmet(requirementsOf(chapter)), viaUserns: viaUserNamespace(chapter) }));
    if (!this.jsonEnabled()) this.log(renderChapterList(rows, kitInvocation(this.config.root), process.getuid?.() === 0, outputWidth(width)));
    return rows.map(({ chapter, problems, viaUserns }) => ({
      id: chapter.id,
      title: chapter.title,
      turnsOn: chapter.turnsOn,
      ready: problems.length === 0,
      /** Runs without root, through a user namespace of its own (kit run by a user without sudo). */
      viaUserNamespace: viaUserns,
      problems,
    }));
  }
}

/** What a recording keeps of the chapter: its text as printed today. */
function recordedChapter(chapter: Chapter): RecordedChapter {
  return { id: chapter.id, title: chapter.title, story: chapter.story, unconfined: unconfinedNote(chapter), takeaway: chapter.takeaway, tryNext: chapter.tryNext, explain: chapter.explain };
}
