import { type Chapter, forThisUser, KitError } from '../core';
import aufs from './aufs';
import caps from './caps';
import cgroup from './cgroup';
import cgroupns from './cgroupns';
import chroot from './chroot';
import escape from './escape';
import host from './host';
import ipc from './ipc';
import layers from './layers';
import memory from './memory';
import mount from './mount';
import net from './net';
import pid from './pid';
import pids from './pids';
import rootfs from './rootfs';
import seccomp from './seccomp';
import user from './user';
import uts from './uts';

/**
 * The curriculum: every other file in this folder is one chapter, listed
 * here (test/unit/catalogs.test.ts fails when one is missing). A list, not a
 * read of the folder, so the CLI can be one bundled file (bin/bundle.js). A
 * user without root gets the part of a chapter they can run (its withoutRoot).
 */
const CHAPTERS: Chapter[] = [aufs, caps, cgroup, cgroupns, chroot, escape, host, ipc, layers, memory, mount, net, pid, pids, rootfs, seccomp, user, uts];

export function loadChapters(): Chapter[] {
  return CHAPTERS.map((c) => forThisUser(c)).sort((a, b) => a.order - b.order);
}

export function findChapter(id: string): Chapter {
  const chapters = loadChapters();
  const chapter = chapters.find((c) => c.id === id);
  if (!chapter) {
    throw new KitError(`no chapter '${id}'`, `valid chapters: ${chapters.map((c) => c.id).join(', ')} (list them with \`kit chapter\`)`);
  }
  return chapter;
}
