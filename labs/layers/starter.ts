import type { PlanPart } from 'kit';

/**
 * Lab layers: stack the base image's layers (given.lower, top first, read-only)
 * under a writable given.upper, with given.work as overlay's scratch dir, at
 * given.merged; then run the container on the merged view.
 */
export default function lab(given: { lower: string[]; upper: string; work: string; merged: string }): PlanPart {
  void given;
  return {
    prepare: [
      // TODO: mount an overlay on given.merged (journaled: kit must unmount it)
    ],
    container: [
      // TODO: make given.merged the container's "/"
    ],
  };
}
