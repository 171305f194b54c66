import { z } from 'zod';
import type { HistoryEntry, ImageConfig, Platform } from '../store';
import { CorruptImageError } from './corrupt';

export { CorruptImageError } from './corrupt';

/** An image read from an unpacked archive, before its layers are stored. */
export interface ParsedImage {
  /** Bottom layer first. */
  layers: ParsedLayer[];
  config: ImageConfig;
  history: HistoryEntry[];
  /** What the config says the image runs on (architecture, os, variant). */
  platform?: Platform;
  /** The names the archive gives the image (`docker save`'s RepoTags, an OCI ref name). */
  tags: string[];
}

export interface ParsedLayer {
  /** The layer tar (gzipped or not): a member of the unpacked archive, opened with openMember. */
  member?: { root: string; rel: string };
  /** A directory already holding the layer's files (a plain rootfs tar, unpacked once). */
  unpacked?: string;
  /** sha256 of the uncompressed layer tar, as the image config lists it (or, in a legacy save, as read). */
  diffId?: string;
  /** The digest of the file as stored, when the format names one (OCI blobs). */
  blobDigest?: string;
  createdBy: string;
}

/**
 * The image config fields kit uses, checked as Docker's loader checks them:
 * Cmd and Entrypoint may be a list or one string (Docker's strslice: a
 * string is a one-word list, never split into characters), null means unset;
 * Env is a list of strings; a wrong type is one clear error naming the field.
 */
const stringList = z
  .union([z.array(z.string()), z.string().transform((s) => [s]), z.null()])
  .optional()
  .transform((v) => v ?? undefined);
const optionalString = z
  .string()
  .nullish()
  .transform((v) => v || undefined);

export const ConfigSchema = z
  .object({
    architecture: optionalString,
    os: optionalString,
    variant: optionalString,
    config: z
      .object({
        Cmd: stringList,
        Entrypoint: stringList,
        Env: z
          .array(z.string())
          .nullish()
          .transform((v) => v ?? undefined),
        WorkingDir: optionalString,
        User: optionalString,
        // {"80/tcp": {}}: only the keys mean anything. Bounded: an image is untrusted input.
        ExposedPorts: z
          .record(z.string().regex(/^\d{1,5}(\/(tcp|udp|sctp))?$/, 'is not PORT[/tcp|udp]'), z.unknown())
          .refine((ports) => Object.keys(ports).length <= 1024, 'lists more than 1024 ports')
          .nullish()
          .transform((v) => (v ? Object.keys(v) : undefined)),
      })
      .passthrough()
      .nullish(),
    rootfs: z.object({ diff_ids: z.array(z.string().regex(/^sha256:[0-9a-f]{64}$/, 'is not a sha256 digest')).nullish() }).passthrough().nullish(),
    history: z
      .array(z.object({ created_by: z.string().nullish(), empty_layer: z.boolean().nullish() }).passthrough())
      .nullish(),
  })
  .passthrough();

export type ConfigJson = z.infer<typeof ConfigSchema>;

/** Parse a document with a schema; the first problem becomes one line naming its field. */
export function checked<T extends z.ZodTypeAny>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.length ? issue.path.join('.') : 'the document';
  throw new CorruptImageError(`${what}: ${field}: ${issue.message}`);
}

/** Cmd, Entrypoint, Env, WorkingDir, User, platform and the history, from a config JSON. */
export function configAndHistory(json: ConfigJson, layerCount: number, source: string): Omit<ParsedImage, 'layers' | 'tags'> & { createdBy: string[] } {
  const c = json.config ?? {};
  const config: ImageConfig = {};
  if (c.Cmd) config.Cmd = c.Cmd;
  if (c.Entrypoint) config.Entrypoint = c.Entrypoint;
  if (c.Env) config.Env = c.Env;
  if (c.WorkingDir) config.WorkingDir = c.WorkingDir;
  if (c.User) config.User = c.User;
  if (c.ExposedPorts?.length) config.ExposedPorts = c.ExposedPorts;
  const history: HistoryEntry[] = (json.history ?? []).map((h) => ({ createdBy: h.created_by ?? '', ...(h.empty_layer ? { emptyLayer: true } : {}) }));
  const layerSteps = history.filter((h) => !h.emptyLayer).map((h) => h.createdBy);
  const createdBy = Array.from({ length: layerCount }, (_, i) => layerSteps[i] || `imported from ${source}`);
  const platform = json.architecture || json.os ? { architecture: json.architecture ?? '', os: json.os ?? '', ...(json.variant ? { variant: json.variant } : {}) } : undefined;
  return { config, history: history.length ? history : createdBy.map((c) => ({ createdBy: c })), createdBy, platform };
}

/** The layer digests (diffIDs) a config lists; one per layer or the image is corrupt. */
export function diffIds(json: ConfigJson, layerCount: number): string[] {
  const ids = json.rootfs?.diff_ids ?? [];
  if (ids.length !== layerCount) throw new CorruptImageError(`the config lists ${ids.length} layer digests (rootfs.diff_ids) for ${layerCount} layers`);
  return ids;
}

export { goArch } from './arch';
