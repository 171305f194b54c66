import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { Flags } from '@oclif/core';
import { KitError } from '../../core';

/** docker run --cidfile: the container's id, written to a file a script reads. */
export const cidfileFlag = {
  cidfile: Flags.string({ helpValue: 'FILE', description: "write the container's id to FILE before it starts; a FILE that exists is refused, as another container may own it (docker run --cidfile)" }),
};

/**
 * Made exclusively (O_EXCL: an existing file, or a link planted there, is
 * refused and left alone) before anything else, as Docker does; removed
 * again if the container then fails to start. Returns how to remove it.
 */
export function writeCidfile(file: string | undefined, id: string): () => void {
  if (file === undefined) return () => {};
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o644);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new KitError(`container ID file found: ${file}`, "make sure the other container isn't running, or delete it");
    throw new KitError(`cannot create --cidfile ${file} (${code})`, 'give a path in a directory that exists and is writable');
  }
  try {
    writeSync(fd, id);
  } finally {
    closeSync(fd);
  }
  return () => rmSync(file, { force: true });
}
