import { existsSync } from 'node:fs';
import { joinParts } from '../../core';
import type { Lab } from '../lab';
import { baseLayers, labDir, scratchDir } from '../common';
import { linkOf, mountsOf, readProc, readText, sleep } from '../observe';
import { calls, failedCall, show } from '../trace';

const FILE = 'written-inside';

const lab: Lab = {
  id: 'layers',
  order: 60,
  title: 'Layers: stack an overlay (lower, upper, work) and run on it',
  chapter: 'layers',
  withoutRoot: { needsRoot: "the overlay is mounted on the host, in a prepare step, and mounting there needs root" },
  command: ['/bin/sh', '-c', `echo hello > /${FILE}; exec sleep 60`],
  setup: async (id, paths) => {
    const dir = labDir(paths, id);
    const [upper, work, merged] = ['upper', 'work', 'merged'].map((d) => `${dir}/${d}`);
    const lower = (await baseLayers(paths)).reverse(); // top first, as lowerdir= lists them
    const dirs = joinParts(scratchDir(dir, 'a scratch dir for this lab'), ...[upper, work, merged].map((d) => scratchDir(d, `make ${d}`)));
    return { given: { lower, upper, work, merged }, part: dirs };
  },
  observe: async (pid, given) => {
    // The command writes the file, then execs sleep: wait for the sleep.
    for (let i = 0; i < 80 && !(readProc(pid, 'cmdline') ?? '').startsWith('sleep'); i++) await sleep(25);
    const root = linkOf(`/proc/${pid}/root`);
    return {
      overlayOnHost: mountsOf('self').some((m) => m.mountPoint === given.merged && m.fstype === 'overlay'),
      root,
      inUpper: readText(`${String(given.upper)}/${FILE}`) === 'hello',
      inLower: (given.lower as string[]).some((l) => existsSync(`${l}/${FILE}`)),
    };
  },
  hints: [
    "Mount the overlay in a prepare step, journaled: `ctx.changes.make({ op: 'umount', path: given.merged }, () => ctx.trace.check(why, (n) => n.mount('overlay', given.merged, 'overlay', 0, `lowerdir=${given.lower.join(':')},upperdir=${given.upper},workdir=${given.work}`)))`.",
    'Run the container on the merged view: container steps chdir(given.merged), chroot("."), chdir("/").',
    'Writes go to upperdir (copy-up); the image\'s layers (lowerdir) are never changed. If the file lands elsewhere, check which directory is upper.',
  ],
  cleanHint: 0,
  checks: [
    {
      name: 'an overlay is mounted on given.merged (host mount table) while it runs',
      pass: (run) => run.seen.overlayOnHost === true,
      diagnose: (run) => {
        const failed = failedCall(run.trace, 'mount', /"overlay"/);
        if (failed?.errno === 'EINVAL') return `${show(failed)}: overlay refused the options: a writable overlay needs lowerdir, upperdir and workdir, upper and work on the same filesystem`;
        if (failed) return show(failed);
        return calls(run.trace, 'mount', /"overlay"/).length ? run.error : 'no mount of an overlay in the trace';
      },
      hint: 0,
    },
    {
      name: "the container's root is given.merged",
      pass: (run) => run.seen.root === run.given.merged,
      diagnose: (run) => `its root is ${String(run.seen.root)}`,
      hint: 1,
    },
    {
      name: `a file written inside (/${FILE}) is in given.upper, and in no lower layer`,
      pass: (run) => run.seen.inUpper === true && run.seen.inLower === false,
      diagnose: (run) => (run.seen.inLower ? 'the file was written into an image layer: it must never change' : 'the file is not in given.upper'),
      hint: 2,
    },
  ],
};

export default lab;
