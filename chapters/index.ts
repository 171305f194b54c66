import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Chapter, forThisUser, KitError } from '../core';

/**
 * The curriculum: every other file in this folder is one chapter, found by
 * reading the folder, so adding a chapter is adding one file. A user
 * without root gets the part of a chapter they can run (its withoutRoot).
 */
export function loadChapters(): Chapter[] {
  return readdirSync(__dirname)
    .filter((f) => /^[a-z0-9-]+\.js$/.test(f) && f !== 'index.js')
    .map((f) => forThisUser((require(join(__dirname, f)) as { default: Chapter }).default))
    .sort((a, b) => a.order - b.order);
}

export function findChapter(id: string): Chapter {
  const chapters = loadChapters();
  const chapter = chapters.find((c) => c.id === id);
  if (!chapter) {
    throw new KitError(`no chapter '${id}'`, `valid chapters: ${chapters.map((c) => c.id).join(', ')} (list them with \`kit chapter\`)`);
  }
  return chapter;
}
