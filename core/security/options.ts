import { KitError } from '../errors';
import type { DeviceRule } from './devices';
import { containerCapabilities, CAPABILITIES, DOCKER_DEFAULT_CAPS } from './capabilities';
import { readDockerProfile } from './docker-seccomp';
import { DEFAULT_SECCOMP_PROFILE } from './seccomp-default';
import type { SeccompProfile } from './seccomp-profile';

/**
 * How a container is confined, as `docker run` says it: absent fields are
 * Docker's defaults (its 14 capabilities, its seccomp profile, runc's masked
 * paths). `--privileged` turns all of it off.
 */
export interface SecurityOptions {
  privileged?: boolean;
  capAdd?: string[];
  capDrop?: string[];
  /** Absent: Docker's default profile. A file's profile is read (and checked) when the flag is parsed. */
  seccomp?: 'unconfined' | { file: string; profile: SeccompProfile };
  noNewPrivileges?: boolean;
  /** `--security-opt systempaths=unconfined`: no masked or read-only /proc and /sys paths. */
  unmaskedPaths?: boolean;
  /** An OCI config's own lists (linux.maskedPaths, linux.readonlyPaths) instead of runc's. */
  paths?: { masked: string[]; readOnly: string[] };
  /** An OCI config's device allow-list (linux.resources.devices, core/oci/devices.ts) instead of Docker's defaults. */
  devices?: DeviceRule[];
}

/** What the options come to for one container. */
export interface Confinement {
  /** The capability names it keeps; every one with --privileged. */
  caps: string[];
  /** undefined = no filter. */
  seccomp?: SeccompProfile;
  noNewPrivileges: boolean;
  maskPaths: boolean;
  privileged: boolean;
}

export function confinement(options: SecurityOptions = {}): Confinement {
  if (options.privileged) return { caps: [...CAPABILITIES], noNewPrivileges: options.noNewPrivileges ?? false, maskPaths: false, privileged: true };
  const seccomp = options.seccomp === 'unconfined' ? undefined : options.seccomp?.profile ?? DEFAULT_SECCOMP_PROFILE;
  return {
    caps: containerCapabilities(options.capAdd, options.capDrop),
    seccomp,
    noNewPrivileges: options.noNewPrivileges ?? false,
    maskPaths: !options.unmaskedPaths,
    privileged: false,
  };
}

const SUPPORTED = 'seccomp=unconfined, seccomp=PROFILE.json, no-new-privileges[=true|false], systempaths=unconfined';

/** docker run --security-opt values (KEY=VALUE, or Docker's older KEY:VALUE). */
export function parseSecurityOpts(values: string[]): Pick<SecurityOptions, 'seccomp' | 'noNewPrivileges' | 'unmaskedPaths'> {
  const options: Pick<SecurityOptions, 'seccomp' | 'noNewPrivileges' | 'unmaskedPaths'> = {};
  for (const text of values) {
    const [key, value] = splitOption(text);
    if (key === 'seccomp' && value) options.seccomp = value === 'unconfined' ? 'unconfined' : { file: value, profile: readDockerProfile(value) };
    else if (key === 'no-new-privileges' && (value === undefined || value === 'true' || value === 'false')) options.noNewPrivileges = value !== 'false';
    else if (key === 'systempaths' && value === 'unconfined') options.unmaskedPaths = true;
    else throw new KitError(`unknown security option '${text}' in --security-opt`, `kit understands ${SUPPORTED}`);
  }
  return options;
}

function splitOption(text: string): [string, string | undefined] {
  const at = text.search(/[=:]/);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

/**
 * What these options turn off of Docker's defaults, in a few words ("with
 * every capability, no seccomp filter and no masked paths"); undefined when
 * nothing is loosened (dropping more capabilities is not loosening).
 */
export function describeLoosening(options: SecurityOptions = {}): string | undefined {
  const c = confinement(options);
  if (c.privileged) return 'unconfined (--privileged): every capability, no seccomp filter, no masked paths';
  const added = c.caps.filter((cap) => !DOCKER_DEFAULT_CAPS.includes(cap));
  const parts = [
    ...(added.length ? [`with ${added.map((cap) => `CAP_${cap}`).join(', ')} added`] : []),
    ...(c.seccomp ? [] : ['no seccomp filter']),
    ...(c.maskPaths ? [] : ['no masked paths']),
  ];
  return parts.length ? `partly unconfined: ${parts.join(', ')}` : undefined;
}
