import { CLONE, type PlanPart } from 'kit';

/**
 * Lab uts: give the container a hostname of its own.
 *
 * Return what kit adds to the container's plan:
 * - cloneFlags: the namespaces clone() creates (CLONE.NEWUTS, CLONE.NEWPID...);
 * - container: steps kit-init runs inside, in order, before the command,
 *   e.g. { op: 'sethostname', name: 'name', why: 'one line: why' }.
 */
export default function lab(given: { hostname: string }): PlanPart {
  void CLONE;
  void given;
  return {
    // TODO 1: the clone flag for a new UTS namespace.
    // TODO 2: a container step that sets the hostname to given.hostname.
  };
}
