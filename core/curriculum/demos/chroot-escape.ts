import type { ContainerStep, PlanPart } from '../../plan';

/** Where the escape starts: a fresh directory in the container's root. */
const ESCAPE_DIR = 'kit-escape';
const ESCAPE_WHY = 'the escape: chroot into a subdirectory, keep the current directory outside it, walk `..` up, chroot(".")';

/**
 * The classic chroot escape as one kit-init step (native-rs/src/init/
 * chroot_escape.rs): mkdir a directory, chroot into it while the current
 * directory stays outside, walk `..` until it stops changing, chroot(".").
 * Each of those calls is in the trace. Run last before the command, so the
 * command shows where it ended up.
 */
export function chrootEscapeDemo(): PlanPart {
  return {
    container: [
      {
        op: 'chroot_escape',
        dir: ESCAPE_DIR,
        why: ESCAPE_WHY,
      },
    ],
  };
}

/** The same escape as an attempt (kit-init's `try`): refused or not, the plan goes on. */
export function chrootEscapeAttempt(note?: string): ContainerStep {
  return { op: 'try', attempt: { op: 'chroot_escape', dir: ESCAPE_DIR }, why: note ? `${ESCAPE_WHY}: ${note}` : ESCAPE_WHY };
}

/** The command both chapters run after the attempt: is "/" still the image? */
export const WHERE_AM_I = [
  'sh',
  '-c',
  'if [ -e /etc/kit-release ]; then echo "still inside the image: / has /etc/kit-release"; ' +
    'else echo "ESCAPED: / is the host\'s root (no /etc/kit-release here)"; fi; ' +
    'echo "hostname file: $(cat /etc/hostname)"; ls /',
];
