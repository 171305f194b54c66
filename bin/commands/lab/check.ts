import { Args, Flags } from '@oclif/core';
import { checkLab, findLab, labFile, needsRootBecause, updateProgress } from '../../../labs';
import { KitError } from '../../../core';
import { existsSync } from 'node:fs';
import { KitCommand } from '../../base';
import { outputWidth, viewFlags } from '../../flags/view';
import { renderReport } from '../../render/lab';

export default class LabCheck extends KitCommand {
  static summary = 'Run your lab code for real and check it from the host; exit 0 only when every check passes.';
  static description = `Your ~/kit-labs/ID/lab.ts runs through kit's engine in a real container (journaled: a failure, a time limit or Ctrl-C leaves the host clean). The checker then looks from outside: namespace inodes, PID 1, mounts, hostname, cgroup files and CPU share, the published port, and that nothing is left on the host. A failed check names the call that failed or is missing, and the hint that unblocks it. Without root, your code runs inside a user namespace that maps your uid to 0 (as \`unshare -r\` does); the labs that change the host itself (cgroup limits, the network's veth and NAT) need sudo and say why.`;
  static examples = ['sudo <%= config.bin %> lab check pid', 'sudo <%= config.bin %> lab check pid --json', 'sudo <%= config.bin %> lab check pid --file ./my-pid.ts'];
  static enableJsonFlag = true;
  static args = { id: Args.string({ required: true, description: 'the lab (see `kit lab`)' }) };
  static flags = {
    file: Flags.string({ description: 'check this file instead of ~/kit-labs/ID/lab.ts' }),
    trace: Flags.boolean({ default: false, description: 'also print the trace of your run' }),
    width: viewFlags.width,
    timeout: Flags.integer({ min: 1, description: "seconds before your run is stopped (default: the lab's limit)" }),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(LabCheck);
    const lab = findLab(args.id);
    const root = needsRootBecause(lab);
    if (root) throw new KitError(`kit lab check ${lab.id} needs root: ${root}`, `run it with sudo: sudo kit lab check ${lab.id}`);
    const file = flags.file ?? labFile(lab.id);
    if (!existsSync(file)) throw new KitError(`no ${file}`, `start the lab first: kit lab start ${lab.id}`);
    const report = await checkLab(lab, file, { timeoutSeconds: flags.timeout, echo: (chunk) => process.stderr.write(chunk) });
    if (!flags.file) updateProgress(lab.id, (p) => ({ ...p, checks: p.checks + 1, passed: p.passed || report.passed, passedAt: report.passed ? new Date().toISOString() : p.passedAt }));
    if (!this.jsonEnabled()) this.log(renderReport(report, { trace: flags.trace, width: outputWidth(flags.width) }));
    if (!report.passed) process.exitCode = 1;
    return report;
  }
}
