import { Flags } from '@oclif/core';
import { containerStats, findContainer, kitPaths, STATS_INTERVAL_MS, type ContainerStats } from '../../core';
import { KitCommand } from '../base';
import { renderStats } from '../render/stats';

/** ANSI: cursor home, clear the screen, as `docker stats` redraws. */
const REDRAW = '\x1b[H\x1b[2J';

export default class StatsCommand extends KitCommand {
  static summary = "Live usage of the running containers: CPU %, memory, network I/O, processes.";
  static description = [
    'Like docker stats --no-stream: one row per running container (or per container named: kit stats web db), read from the files of its cgroups.',
    'CPU % is the CPU time the cgroup used (cpuacct.usage on cgroup v1, usage_usec in cpu.stat on v2), read twice a second apart, over that second, as a % of one CPU: a busy loop under --cpu-quota 50000 shows about 50%, two busy loops without a limit on two CPUs about 200%.',
    "MEM USAGE / LIMIT is memory.usage_in_bytes / memory.limit_in_bytes (v1) or memory.current / memory.max (v2), page cache included (docker subtracts its inactive part); with no --memory the limit shown is the host's memory.",
    'NET I/O is what the container\'s network namespace received and sent on its links (eth0; lo aside), from /proc/<pid>/net/dev; "--" on the host\'s network. PIDS is pids.current, then pids.max when --pids-limit set one.',
    '--watch redraws every second until Ctrl-C, as docker stats does by default. --json gives the numbers (bytes, percents, counts; null where there is none); with --watch, one JSON array per line, every second.',
  ].join('\n\n');
  static usage = 'stats [CONTAINER...] [--no-stream | --watch] [--json]';
  static examples = ['sudo <%= config.bin %> stats', 'sudo <%= config.bin %> stats web', 'sudo <%= config.bin %> stats --watch', 'sudo <%= config.bin %> stats --json'];
  static enableJsonFlag = true;
  /** Any number of containers, as docker stats takes them. */
  static strict = false;
  static flags = {
    watch: Flags.boolean({ char: 'w', default: false, description: 'redraw every second until Ctrl-C (docker stats without --no-stream)' }),
    'no-stream': Flags.boolean({ default: false, description: 'one sample and exit: kit\'s default, accepted for scripts written for docker stats --no-stream' }),
  };

  async run(): Promise<ContainerStats[]> {
    const { argv, flags } = await this.parse(StatsCommand);
    const paths = kitPaths();
    const ids = argv.length === 0 ? undefined : argv.map((ref) => findContainer(paths, String(ref)).id);
    if (!flags.watch || flags['no-stream']) {
      const stats = await containerStats(paths, ids);
      if (!this.jsonEnabled()) this.log(renderStats(stats));
      return stats;
    }
    for (;;) {
      const stats = await containerStats(paths, ids);
      // With no container there is nothing to sample for a second: wait anyway, or this spins.
      if (stats.length === 0) await new Promise((resolve) => setTimeout(resolve, STATS_INTERVAL_MS));
      process.stdout.write(this.jsonEnabled() ? JSON.stringify(stats) + '\n' : REDRAW + renderStats(stats) + '\n');
    }
  }
}
