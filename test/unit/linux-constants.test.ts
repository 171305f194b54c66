import { CLONE, MNT_DETACH, MS, O_PATH, S_IF, SIG } from '../../core/linux';
import { native } from '../../core/native';
import { RLIMITS } from '../../core/plan/process-limits';

/**
 * The Linux numbers core writes in TypeScript are the libc crate's, for the
 * architecture native-rs was built for (native-rs/src/napi/constants.rs):
 * a wrong value fails here, not in a syscall on a learner's machine.
 */
const libc = native().linuxConstants();
const prefixed = (prefix: string, table: Record<string, number>) => Object.entries(table).map(([name, value]): [string, number] => [`${prefix}${name}`, value]);

test.each([
  ...prefixed('CLONE_', CLONE),
  ...prefixed('MS_', MS),
  ['MNT_DETACH', MNT_DETACH] as [string, number],
  ['O_PATH', O_PATH] as [string, number],
  ...prefixed('SIG', SIG),
  ...prefixed('S_IF', S_IF).map(([name, value]): [string, number] => [name === 'S_IFFIFO' ? 'S_IFIFO' : name, value]), // <sys/stat.h> spells it S_IFIFO
  ...prefixed('', RLIMITS),
])('%s is %d, as in libc', (name, value) => {
  expect(libc[name]).toBe(value);
});

test('every RLIMIT_* libc has, core has (kit-runtime accepts each in process.rlimits)', () => {
  expect(Object.keys(RLIMITS).sort()).toEqual(Object.keys(libc).filter((n) => n.startsWith('RLIMIT_')).sort());
});
