import { spawn } from 'node:child_process';

/**
 * A shell line run in a fresh terminal of 30x90 (`script` gives it a pty as
 * its stdin and stdout, as a user's terminal would), driven by typing.
 */
export function terminal(line: string, env: NodeJS.ProcessEnv) {
  const child = spawn('script', ['-qec', `stty rows 30 cols 90; ${line}`, '/dev/null'], { env: { ...env, TERM: 'dumb' }, stdio: ['pipe', 'pipe', 'inherit'] });
  let screen = '';
  child.stdout.on('data', (chunk: Buffer) => (screen += chunk.toString('utf8').replace(/\r/g, '')));
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return {
    type: (keys: string) => child.stdin.write(keys),
    screen: () => screen,
    /** Resolves once the screen shows `text` (after `from` characters of it). */
    async see(text: string | RegExp, from = 0, timeoutMs = 30000): Promise<void> {
      const end = Date.now() + timeoutMs;
      const seen = () => (typeof text === 'string' ? screen.slice(from).includes(text) : text.test(screen.slice(from)));
      while (!seen()) {
        if (Date.now() > end) throw new Error(`the terminal never showed ${text}; it shows:\n${screen}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async done(): Promise<string> {
      child.stdin.end();
      await closed;
      return screen;
    },
    kill: () => child.kill('SIGKILL'),
  };
}
