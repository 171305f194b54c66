import { Args, Flags } from '@oclif/core';
import { setTimeout as sleep } from 'node:timers/promises';
import { readRecording } from '../../core';
import type { TimedRecord } from '../../core';
import { KitCommand } from '../base';
import { outputWidth, pacing, streamView, viewFlags } from '../flags/view';
import { LiveOutput } from '../render/live';
import { PlainRunPrinter, processOutput } from '../render/run-plain';
import { RunRenderer } from '../render/run-stream';
import { writeHtml } from '../run-session';

/** A pause in the recording longer than this is shortened to it: a replay shows the run, not its waiting. */
const LONGEST_PAUSE_MS = 3000;

export default class ReplayCommand extends KitCommand {
  static summary = 'Show a recorded run again (kit chapter --record), on any machine, without root.';
  static description = `Renders a recording through the same renderer as the live run: at the same width the text is the same, byte for byte. By default with the run's own timing (pauses longer than 3 s shortened); --pace or --step to hold each section, --instant for none. --html writes one self-contained page of the run (the story, a timeline of the trace, the process tree, the network, the before/after diffs).`;
  static examples = [
    '<%= config.bin %> replay pid.kitrec',
    '<%= config.bin %> replay net.kitrec --step --big',
    '<%= config.bin %> replay pid.kitrec --width 80 --instant > pid.txt',
    '<%= config.bin %> replay pid.kitrec --json',
    '<%= config.bin %> replay net.kitrec --html net.html',
  ];
  static enableJsonFlag = true;
  static args = { file: Args.string({ required: true, description: 'a .kitrec file written by --record' }) };
  static flags = {
    trace: Flags.boolean({ allowNo: true, description: 'show the syscall trace, or hide it (--no-trace); default: as the run showed it (a chapter does, kit run with --trace)' }),
    explain: Flags.boolean({ default: false, description: 'explain each kind of call once, under its first call' }),
    instant: Flags.boolean({ default: false, description: 'no pauses: print it all at once' }),
    html: Flags.string({ description: 'write the run as one self-contained HTML page instead of printing it' }),
    ...viewFlags,
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(ReplayCommand);
    const { header, records } = readRecording(args.file);
    const end = records.find((r): r is Extract<TimedRecord, { type: 'end' }> => r.type === 'end');
    if (this.jsonEnabled()) return end?.result ?? { header, records };
    if (flags.html) return writeHtml(flags.html, header, records);
    const timed = !flags.instant && !flags.pace && !flags.step;
    if (header.kind === 'run') {
      // `kit run` printed plain output, the trace on stderr: so does its replay, byte for byte.
      const printer = new PlainRunPrinter({ trace: flags.trace ?? header.trace ?? false, width: outputWidth(flags.width, process.env, process.stderr) }, processOutput);
      await play(records, timed, (record) => printer.feed(record));
      return end?.result;
    }
    const live = new LiveOutput(process.stdout, pacing(flags));
    const renderer = new RunRenderer(header, streamView(flags), (chunk) => live.push(chunk));
    renderer.start();
    await play(records, timed, (record) => renderer.feed(record));
    await live.done();
    return end?.result;
  }
}

/** The records in order, with the run's own pauses (each at most LONGEST_PAUSE_MS) when `timed`. */
async function play(records: TimedRecord[], timed: boolean, feed: (record: TimedRecord) => void): Promise<void> {
  let last = 0;
  for (const record of records) {
    if (timed && record.t > last) await sleep(Math.min(record.t - last, LONGEST_PAUSE_MS));
    last = record.t;
    feed(record);
  }
}
