import { registerUndo } from '../host/undo';
import { removeCgroup } from './lifecycle';
import { tracedIo } from './traced-io';

/** A container's cgroup is undone by ending what is left in it, then rmdir of it and of kit's shared parent (if recorded) when empty. */
registerUndo('cgroup', (record, trace) => removeCgroup(tracedIo(trace, 'undo: empty and remove the cgroup kit made'), record.path, record.parent));
