import { KitError } from '../../errors';

/** The archive's metadata is wrong or hostile: one line naming what, and the fix. */
export class CorruptImageError extends KitError {
  constructor(what: string) {
    super(`the image archive is corrupt: ${what}`, 'export or save the image again, then import the new file');
  }
}
