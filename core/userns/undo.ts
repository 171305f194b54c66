import { runCommand } from '../host/command';
import { registerUndo } from '../host/undo';
import { releasePassage, removeAclEntry } from './passage';
import { releaseRemapUser } from './remap-user';

/**
 * How --userns=auto's host changes are undone: the `kit` user, the
 * subordinate ranges kit gave, and a container's hold on them.
 */

/** userdel's and usermod's exit status for "no such user": already undone. */
const NO_SUCH_USER = 6;

registerUndo('userdel', (record, trace) => {
  const r = runCommand(trace, 'undo: remove the user kit created (and its subordinate ranges)', ['userdel', record.name]);
  return r.status === 0 || r.status === NO_SUCH_USER ? undefined : `could not remove user ${record.name}: ${r.stderr.trim()}`;
});
registerUndo('subids-delete', (record, trace) => {
  const argv = ['usermod', '--del-subuids', record.range, '--del-subgids', record.range, record.user];
  const r = runCommand(trace, 'undo: take back the subordinate ids kit gave', argv);
  return r.status === 0 || r.status === NO_SUCH_USER ? undefined : `could not remove ${record.user}'s ranges ${record.range}: ${r.stderr.trim()}`;
});
registerUndo('chgrp', (record, trace) => {
  const why = `undo: give ${record.path} its group and mode back`;
  for (const argv of [['chgrp', String(record.gid), record.path], ['chmod', record.mode.toString(8).padStart(4, '0'), record.path]]) {
    const r = runCommand(trace, why, argv);
    if (r.status !== 0 && !/No such file/.test(r.stderr)) return `could not give ${record.path} its group back: ${r.stderr.trim()}`;
  }
  return undefined;
});
registerUndo('userns-release', (record, trace) => releaseRemapUser(trace, record.path));
registerUndo('passage-release', (record, trace) => releasePassage(trace, record.path));
registerUndo('acl-remove', (record, trace) => removeAclEntry(trace, record.path, record.gid));
