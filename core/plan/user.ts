import { KitError } from '../errors';
import { readFileInRoots, readFileInRunningRoot } from './root-lookup';

/**
 * Where /etc/passwd and /etc/group are read: an image's layers on the host,
 * top first (kit run -u), or a running container's root (kit exec -u), whose
 * processes may change it while kit reads.
 */
export type UserRoots = string[] | { running: string };

/**
 * `kit run -u UID[:GID]|NAME[:GROUP]` as the numeric user kit-init switches
 * to (spec.user; core/plan/security.ts plans it). A name is looked up in the
 * image's own /etc/passwd and /etc/group, read from its layers on the host,
 * never following a link out of them, as Docker does; a number needs no entry
 * (its gid is then the entry's, or 0).
 */
/** Docker's -u forms: UID, UID:GID, NAME, NAME:GROUP (names from the image). */
export function parseUser(text: string): string {
  if (!/^([0-9]{1,10}|[A-Za-z_][A-Za-z0-9_.-]{0,31}\$?)(:([0-9]{1,10}|[A-Za-z_][A-Za-z0-9_.-]{0,31}))?$/.test(text)) {
    throw new KitError(`bad -u value '${text}'`, 'use UID[:GID] or NAME[:GROUP], e.g. -u 1000:1000 or -u nobody');
  }
  for (const n of text.split(':').filter((p) => /^\d+$/.test(p))) {
    if (Number(n) > 0xfffffffe) throw new KitError(`-u ${text}: ${n} is not a valid id`, 'ids go from 0 to 4294967294');
  }
  return text;
}

interface Entry {
  name: string;
  id: number;
  gid?: number;
  home?: string;
  members?: string[];
}

const MAX_DB_BYTES = 4 * 1024 * 1024;

/** `whose`: where the names are looked up, as the error says it ("the image's", or kit exec's "the container's"). */
export function resolveUser(text: string, roots: UserRoots, whose = "the image's"): { uid: number; gid: number; groups: number[] } {
  const [userPart, groupPart] = text.split(':');
  const passwd = passwdEntries(roots);
  const group = database(roots, '/etc/group', (f) => ({ name: f[0], id: Number(f[2]), members: (f[3] ?? '').split(',').filter(Boolean) }));
  const numeric = /^\d+$/.test(userPart);
  const user = numeric ? passwd.find((e) => e.id === Number(userPart)) : passwd.find((e) => e.name === userPart);
  if (!user && !numeric) throw new KitError(`-u ${text}: no user '${userPart}' in ${whose} /etc/passwd`, 'give a numeric uid (-u 1000), or add the user to the image');
  const uid = user?.id ?? Number(userPart);
  let gid = user?.gid ?? 0;
  if (groupPart !== undefined) {
    if (/^\d+$/.test(groupPart)) gid = Number(groupPart);
    else {
      const g = group.find((e) => e.name === groupPart);
      if (!g) throw new KitError(`-u ${text}: no group '${groupPart}' in ${whose} /etc/group`, 'give a numeric gid (-u NAME:1000), or add the group to the image');
      gid = g.id;
    }
  }
  // As Docker: a user named in /etc/passwd gets the groups listing it; an explicit :GROUP replaces them.
  const groups = user && groupPart === undefined ? [...new Set(group.filter((g) => g.members?.includes(user.name)).map((g) => g.id))] : [];
  return { uid, gid, groups };
}

/**
 * docker run --group-add GROUP: a gid, or a group name from the image's
 * /etc/group (one missing there is an error, as in Docker).
 */
export function resolveGroup(text: string, roots: UserRoots): number {
  if (/^\d{1,10}$/.test(text) && Number(text) <= 0xfffffffe) return Number(text);
  if (!/^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/.test(text)) throw new KitError(`bad --group-add '${text}'`, 'give a gid or a group name, e.g. --group-add 44 or --group-add video');
  const entry = database(roots, '/etc/group', (f) => ({ name: f[0], id: Number(f[2]) })).find((e) => e.name === text);
  if (!entry) throw new KitError(`--group-add ${text}: no group '${text}' in the image's /etc/group`, 'give a numeric gid (--group-add 1000), or add the group to the image');
  return entry.id;
}

function passwdEntries(roots: UserRoots): Entry[] {
  return database(roots, '/etc/passwd', (f) => ({ name: f[0], id: Number(f[2]), gid: Number(f[3]), home: f[5] }));
}

/**
 * HOME as Docker (runc) sets it when the environment has none: the home
 * of the command's user in the image's /etc/passwd (-u NAME or UID; root's
 * without -u), or "/" when it has no entry there.
 */
export function withHome(env: string[], user: string | undefined, roots: UserRoots): string[] {
  if (env.some((e) => e.startsWith('HOME='))) return env;
  const [userPart] = (user ?? '0').split(':');
  const entry = passwdEntries(roots).find((e) => (/^\d+$/.test(userPart) ? e.id === Number(userPart) : e.name === userPart));
  const home = entry?.home && entry.home.startsWith('/') ? entry.home : '/';
  return [...env, `HOME=${home}`];
}

/** name:x:id:... lines; malformed ones are skipped (the image is not trusted to be tidy). */
function database(roots: UserRoots, path: string, entry: (fields: string[]) => Entry): Entry[] {
  const text = (Array.isArray(roots) ? readFileInRoots(roots, path, MAX_DB_BYTES) : readFileInRunningRoot(roots.running, path, MAX_DB_BYTES)) ?? '';
  return text
    .split('\n')
    .map((line) => line.split(':'))
    .filter((f) => f.length >= 3 && f[0] && /^\d{1,10}$/.test(f[2]))
    .map(entry)
    .filter((e) => e.id <= 0xfffffffe && (e.gid === undefined || Number.isInteger(e.gid)));
}
