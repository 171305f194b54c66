import chalk from 'chalk';

/**
 * The colour level kit prints with. chalk 4 follows FORCE_COLOR and whether
 * stdout is a terminal, but not NO_COLOR (no-color.org): honour it here.
 * FORCE_COLOR, when set, still wins, as it does for Node itself.
 */
export function colorLevel(env: NodeJS.ProcessEnv, detected: chalk.Level): chalk.Level {
  if (env.FORCE_COLOR === undefined && env.NO_COLOR) return 0;
  return detected;
}

chalk.level = colorLevel(process.env, chalk.level);

/** chalk, with kit's colour level applied: import it from here, not from 'chalk'. */
export default chalk;
