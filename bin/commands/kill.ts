import { Args, Flags } from '@oclif/core';
import { findContainer, kitPaths, parseSignal, signalContainer, TraceRecorder } from '../../core';
import { KitCommand } from '../base';
import { eachContainer } from '../flags/several';

export default class KillCommand extends KitCommand {
  static summary = 'Send a signal to running containers (SIGKILL unless -s).';
  static description = `Like docker kill: one kill(2) from the host to each container's first process. It is PID 1 of its PID namespace: signals it has no handler for are dropped when sent from inside, but SIGKILL and SIGSTOP from the host always act. With SIGKILL the container ends and is kept, exited (137), until kit rm.`;
  static examples = ['sudo <%= config.bin %> kill web', 'sudo <%= config.bin %> kill -s HUP web', 'sudo <%= config.bin %> kill -s 15 web db'];
  static strict = false;
  static usage = 'kill [-s SIGNAL] CONTAINER...';
  static args = { container: Args.string({ required: true, description: 'names, ids or unique id prefixes' }) };
  static flags = { signal: Flags.string({ char: 's', default: 'KILL', description: 'the signal, by name (KILL, TERM, HUP...) or number' }) };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(KillCommand);
    const paths = kitPaths();
    const signal = parseSignal(flags.signal);
    await eachContainer(argv as string[], async (ref) => {
      signalContainer(new TraceRecorder(), findContainer(paths, ref), signal);
      this.log(ref);
    });
  }
}
