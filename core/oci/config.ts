import { z } from 'zod';
import { KitError } from '../errors';

/**
 * The part of the OCI runtime-spec config.json (github.com/opencontainers/runtime-spec,
 * config.md and config-linux.md) that kit-runtime understands. Every object is
 * strict: a field kit does not know is refused by name rather than silently
 * ignored, since ignoring it would run the container less confined or
 * differently than its author asked. What is valid OCI but not applied by kit
 * yet is refused later, in to-spec.ts, with the field's path.
 */
const capabilitySet = z.array(z.string()).optional();

export const processSchema = z
  .object({
    terminal: z.boolean().optional(),
    consoleSize: z.object({ height: z.number().int().min(0), width: z.number().int().min(0) }).strict().optional(),
    user: z.object({ uid: z.number().int().min(0), gid: z.number().int().min(0), additionalGids: z.array(z.number().int().min(0)).optional(), umask: z.number().int().optional() }).strict(),
    args: z.array(z.string()).min(1, 'must hold at least the program to run'),
    env: z.array(z.string()).optional(),
    cwd: z.string().startsWith('/', 'must be an absolute path inside the container'),
    capabilities: z.object({ bounding: capabilitySet, effective: capabilitySet, permitted: capabilitySet, inheritable: capabilitySet, ambient: capabilitySet }).strict().optional(),
    rlimits: z.array(z.object({ type: z.string(), hard: z.number().min(0), soft: z.number().min(0) }).strict()).optional(),
    noNewPrivileges: z.boolean().optional(),
    oomScoreAdj: z.number().int().min(-1000).max(1000).optional(),
  })
  .strict();

const mountSchema = z
  .object({
    destination: z.string().startsWith('/', 'must be an absolute path inside the container'),
    type: z.string().optional(),
    source: z.string().optional(),
    options: z.array(z.string()).optional(),
  })
  .strict();

/** A hook: a host program the runtime runs at one point of the lifecycle, with the state on its stdin. */
const hookSchema = z
  .object({
    path: z.string().startsWith('/', 'must be an absolute path on the host'),
    args: z.array(z.string()).optional(),
    env: z.array(z.string()).optional(),
    timeout: z.number().int().min(1, 'must be at least 1 second').optional(),
  })
  .strict();

const hooksSchema = z
  .object({
    prestart: z.array(hookSchema).optional(),
    createRuntime: z.array(hookSchema).optional(),
    createContainer: z.array(hookSchema).optional(),
    startContainer: z.array(hookSchema).optional(),
    poststart: z.array(hookSchema).optional(),
    poststop: z.array(hookSchema).optional(),
  })
  .strict();

export type OciHook = z.infer<typeof hookSchema>;

const namespaceSchema = z.object({ type: z.enum(['pid', 'network', 'mount', 'ipc', 'uts', 'user', 'cgroup', 'time']), path: z.string().optional() }).strict();

/** One device's cap: bytes or I/Os per second. */
const throttleSchema = z.array(z.object({ major: z.number().int().min(0), minor: z.number().int().min(0), rate: z.number().int().min(0) }).strict()).max(256).optional();

export const resourcesSchema = z
  .object({
    cpu: z.object({ shares: z.number().int().min(0).optional(), quota: z.number().int().optional(), period: z.number().int().min(0).optional(), cpus: z.string().optional() }).strict().optional(),
    memory: z
      .object({
        limit: z.number().int().optional(),
        reservation: z.number().int().optional(),
        swap: z.number().int().optional(),
        /** Kernel memory limits (v1 kmem), gone from Linux 5.16: 0 (Docker's update sends it) is accepted, a limit refused. */
        kernel: z.number().int().optional(),
        kernelTCP: z.number().int().optional(),
        disableOOMKiller: z.boolean().optional(),
      })
      .strict()
      .optional(),
    /** The weight (Docker sends 0, unset), per-device weights and throttles (core/cgroups/blkio-devices.ts). */
    blockIO: z
      .object({
        weight: z.number().int().min(0).max(1000).optional(),
        leafWeight: z.number().int().min(0).max(1000).optional(),
        weightDevice: z.array(z.object({ major: z.number().int().min(0), minor: z.number().int().min(0), weight: z.number().int().min(0).max(1000).optional(), leafWeight: z.number().int().min(0).max(1000).optional() }).strict()).max(256).optional(),
        throttleReadBpsDevice: throttleSchema,
        throttleWriteBpsDevice: throttleSchema,
        throttleReadIOPSDevice: throttleSchema,
        throttleWriteIOPSDevice: throttleSchema,
      })
      .strict()
      .optional(),
    pids: z.object({ limit: z.number().int() }).strict().optional(),
    /** In order, as runc applies them (core/oci/devices.ts). */
    devices: z.array(z.object({ allow: z.boolean(), access: z.string().optional(), type: z.string().optional(), major: z.number().optional(), minor: z.number().optional() }).strict()).optional(),
  })
  .strict();

const idMappingSchema = z.object({ containerID: z.number().int().min(0), hostID: z.number().int().min(0), size: z.number().int().min(1) }).strict();
const clockOffsetSchema = z.object({ secs: z.number().int().optional(), nanosecs: z.number().int().min(0).max(999_999_999).optional() }).strict();

const linuxSchema = z
  .object({
    namespaces: z.array(namespaceSchema).optional(),
    /** With a user namespace: which host ids its ids are (reused from kit's own --uidmap, core/plan/userns.ts). */
    uidMappings: z.array(idMappingSchema).optional(),
    gidMappings: z.array(idMappingSchema).optional(),
    /** With a time namespace: its clocks' offsets from the host's. */
    timeOffsets: z.object({ monotonic: clockOffsetSchema.optional(), boottime: clockOffsetSchema.optional() }).strict().optional(),
    /** Where the container's cgroup goes under each hierarchy (podman's cgroupfs manager: /libpod_parent/libpod-ID). */
    cgroupsPath: z.string().optional(),
    resources: resourcesSchema.optional(),
    /** Kernel parameters written inside the container's namespaces (core/plan/sysctl.ts says which may be). */
    sysctl: z.record(z.string()).optional(),
    maskedPaths: z.array(z.string()).optional(),
    readonlyPaths: z.array(z.string()).optional(),
    /** Checked by core/security's profile parser (the OCI format is Docker's, nearly). */
    seccomp: z.record(z.unknown()).optional(),
  })
  .strict();

export const ociConfigSchema = z
  .object({
    ociVersion: z.string().regex(/^1\.\d+\.\d+/, 'must be a runtime-spec version 1.x.y'),
    process: processSchema,
    root: z.object({ path: z.string().min(1), readonly: z.boolean().optional() }).strict(),
    hostname: z.string().max(64, 'is longer than the 64 bytes a hostname may have').optional(),
    mounts: z.array(mountSchema).optional(),
    hooks: hooksSchema.optional(),
    linux: linuxSchema.optional(),
    /** Free-form metadata for the caller; kit keeps no behaviour on it. */
    annotations: z.record(z.string()).optional(),
  })
  .strict();

export type OciConfig = z.infer<typeof ociConfigSchema>;
export type OciProcess = z.infer<typeof processSchema>;
export type OciResources = z.infer<typeof resourcesSchema>;

const FIX = 'see the runtime-spec config.md, or start from `kit runtime spec`';

/** A parsed JSON value -> a checked config; the first problem as one line naming the field. */
export function parseOciConfig(json: unknown, name = 'config.json'): OciConfig {
  return parsed(ociConfigSchema, json, name);
}

/** `kit-runtime exec --process FILE`: the process object of a config.json, alone. */
export function parseOciProcess(json: unknown, name: string): OciProcess {
  return parsed(processSchema, json, name);
}

export function parsed<T>(schema: z.ZodType<T>, json: unknown, name: string): T {
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new KitError(`${name}: ${issueText(issue)}`, issue.code === 'unrecognized_keys' ? 'remove it: kit-runtime does not support it yet' : FIX);
}

function issueText(issue: z.ZodIssue): string {
  const where = fieldPath(issue.path);
  if (issue.code === 'unrecognized_keys') return issue.keys.map((k) => fieldPath([...issue.path, k])).join(', ') + ' is not supported by kit-runtime yet';
  if (issue.code === 'invalid_type' && issue.received === 'undefined') return `${where} is missing`;
  return `${where || 'the config'}: ${issue.message}`;
}

/** ['mounts', 3, 'type'] -> mounts[3].type */
export function fieldPath(path: Array<string | number>): string {
  return path.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${part}` : part), '');
}
