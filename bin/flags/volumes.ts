import { Flags } from '@oclif/core';
import { checkMountTarget, checkVolumeName, KitError, tmpfsMode, tmpfsSize, type MountSpec as Mount } from '../../core';

/**
 * docker run -v, --mount, --tmpfs. Parsed and checked here, before anything
 * is made; the engine resolves and mounts them (core/plan/mounts.ts).
 */
export const volumeFlags = {
  volume: Flags.string({
    char: 'v',
    multiple: true,
    multipleNonGreedy: true,
    helpGroup: 'MOUNTS',
    helpValue: 'HOST-PATH|NAME:CTR-PATH[:ro]',
    description: 'bind-mount a host directory or file (created if missing, as Docker does), or a named volume (kit volume ls), at CTR-PATH',
  }),
  mount: Flags.string({
    multiple: true,
    multipleNonGreedy: true,
    helpGroup: 'MOUNTS',
    helpValue: 'type=bind|volume|tmpfs,source=...,target=...[,readonly]',
    description: "docker run --mount: like -v but explicit, and a missing bind source is an error (Docker's split)",
  }),
  tmpfs: Flags.string({ multiple: true, multipleNonGreedy: true, helpGroup: 'MOUNTS', helpValue: 'CTR-PATH[:size=SIZE,mode=OCTAL,ro,exec]', description: 'a tmpfs (memory) at CTR-PATH, gone with the container; noexec, nosuid, nodev unless exec is given, as Docker\'s (docker run --tmpfs)' }),
};

export function mountsFromFlags(flags: { volume?: string[]; mount?: string[]; tmpfs?: string[] }): { mounts?: Mount[] } {
  const mounts = [...(flags.volume ?? []).map(parseVolume), ...(flags.mount ?? []).map(parseMount), ...(flags.tmpfs ?? []).map(parseTmpfs)];
  const seen = new Set<string>();
  for (const m of mounts) {
    if (seen.has(m.target)) throw new KitError(`${m.target} is mounted twice`, 'give each mount its own container path');
    seen.add(m.target);
  }
  return mounts.length ? { mounts } : {};
}

/** -v HOST:CTR[:ro|rw] or -v NAME:CTR[:ro|rw]. */
function parseVolume(text: string): Mount {
  const parts = text.split(':');
  if (parts.length < 2 || parts.length > 3 || parts[0] === '') throw new KitError(`bad -v value '${text}'`, 'use HOST-PATH:CTR-PATH[:ro] or VOLUME-NAME:CTR-PATH[:ro], e.g. -v /srv/data:/data:ro');
  const [source, target, mode = 'rw'] = parts;
  if (mode !== 'ro' && mode !== 'rw') throw new KitError(`bad -v mode '${mode}' in '${text}'`, 'use ro (read-only) or rw');
  const bind = source.startsWith('/') || source.startsWith('.');
  if (!bind) checkVolumeName(source);
  if (source.startsWith('.')) throw new KitError(`-v ${text}: the host path must be absolute`, `use its full path, e.g. -v "$(pwd)/${source.replace(/^\.\/?/, '')}":${target}`);
  return { type: bind ? 'bind' : 'volume', source, target: checkMountTarget('-v', target), readOnly: mode === 'ro', createSource: true };
}

/**
 * --tmpfs PATH[:OPTIONS], Docker's: size=SIZE, mode=OCTAL, ro or rw, exec
 * or noexec, comma separated. As Docker's, it is noexec, nosuid and nodev
 * unless `exec` says otherwise; suid and dev are refused (kit's tmpfs
 * mounts always have nosuid and nodev).
 */
function parseTmpfs(text: string): Mount {
  const colon = text.indexOf(':');
  const target = checkMountTarget('--tmpfs', colon < 0 ? text : text.slice(0, colon));
  const tmpfs: NonNullable<Mount['tmpfs']> = {};
  let readOnly = false;
  let noexec = true;
  for (const option of colon < 0 ? [] : text.slice(colon + 1).split(',')) {
    const [key, value] = [option.split('=')[0], option.split('=').slice(1).join('=')];
    if (key === 'size' && value) tmpfs.size = tmpfsSize(`--tmpfs ${target} size`, value);
    else if (key === 'mode' && value) tmpfs.mode = tmpfsMode(`--tmpfs ${target}`, value);
    else if ((key === 'ro' || key === 'rw') && !value) readOnly = key === 'ro';
    else if ((key === 'exec' || key === 'noexec') && !value) noexec = key === 'noexec';
    else if ((key === 'nosuid' || key === 'nodev') && !value) continue; // always
    else if ((key === 'suid' || key === 'dev') && !value) throw new KitError(`--tmpfs option '${option}' in '${text}' is refused: kit's tmpfs mounts are always nosuid and nodev`, 'leave it out; put set-user-ID programs and device files in the image');
    else throw new KitError(`bad --tmpfs option '${option}' in '${text}'`, 'use size=SIZE, mode=OCTAL, ro, rw, exec or noexec, e.g. --tmpfs /run:rw,noexec,nosuid,size=65536k');
  }
  return { type: 'tmpfs', target, readOnly, noexec, ...(Object.keys(tmpfs).length ? { tmpfs } : {}) };
}

/** The --mount keys kit knows, Docker's names (type=tmpfs adds tmpfs-size and tmpfs-mode). */
const MOUNT_KEYS = ['type', 'source', 'src', 'target', 'dst', 'destination', 'readonly', 'ro'];

/** --mount type=bind,source=/a,target=/b,readonly (src/dst/destination/ro accepted, as Docker does). */
function parseMount(text: string): Mount {
  const fields = new Map<string, string>();
  for (const part of text.split(',')) {
    const [key, ...rest] = part.split('=');
    fields.set(key.trim(), rest.join('='));
  }
  const get = (...keys: string[]) => keys.map((k) => fields.get(k)).find((v) => v !== undefined);
  const type = get('type') ?? 'volume';
  if (type !== 'bind' && type !== 'volume' && type !== 'tmpfs') throw new KitError(`bad --mount type '${type}'`, 'use type=bind, type=volume or type=tmpfs');
  const known = type === 'tmpfs' ? [...MOUNT_KEYS, 'tmpfs-size', 'tmpfs-mode'] : MOUNT_KEYS;
  const unknown = [...fields.keys()].find((k) => !known.includes(k));
  if (unknown !== undefined) throw new KitError(`--mount '${text}': kit does not know the key '${unknown}' for type=${type}`, `use ${known.join(', ')}`);
  const target = get('target', 'dst', 'destination');
  if (!target) throw new KitError(`--mount '${text}' has no target`, 'add target=/path/in/container');
  const readonly = get('readonly', 'ro');
  const readOnly = readonly !== undefined && readonly !== 'false' && readonly !== '0';
  if (type === 'tmpfs') {
    const size = get('tmpfs-size');
    const mode = get('tmpfs-mode');
    const tmpfs = { ...(size !== undefined ? { size: tmpfsSize('--mount tmpfs-size', size) } : {}), ...(mode !== undefined ? { mode: tmpfsMode('--mount tmpfs-mode', mode) } : {}) };
    // noexec, nosuid, nodev: Docker's defaults for a tmpfs, as --tmpfs's
    return { type, target: checkMountTarget('--mount', target), readOnly, noexec: true, ...(Object.keys(tmpfs).length ? { tmpfs } : {}) };
  }
  const source = get('source', 'src');
  if (!source) throw new KitError(`--mount '${text}' has no source`, type === 'bind' ? 'add source=/host/path' : 'add source=VOLUME-NAME');
  if (type === 'bind' && !source.startsWith('/')) throw new KitError(`--mount source '${source}' must be an absolute host path`, 'give its full path');
  if (type === 'volume') checkVolumeName(source);
  return { type, source, target: checkMountTarget('--mount', target), readOnly, createSource: false };
}
