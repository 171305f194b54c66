import { basename } from 'node:path';
import { z } from 'zod';
import { checkImageCount, checkLayerCount } from '../limits';
import { hasMember, readMemberJson, resolveMember } from './member';
import { checked, configAndHistory, ConfigSchema, CorruptImageError, diffIds, type ConfigJson, type ParsedImage } from './parsed';

/**
 * `docker save`: manifest.json lists, per image, its config JSON, its names
 * (RepoTags) and its layer tars bottom first (`<id>/layer.tar`, `<hex>.tar`
 * from podman, or `blobs/sha256/<hex>` since Docker 25, which also writes an
 * OCI layout next to it). Every image it lists is read, not just the first.
 */
const ManifestSchema = z
  .array(
    z.object({
      Config: z.string(),
      RepoTags: z.array(z.string()).nullish(),
      Layers: z.array(z.string()),
    }),
  )
  .min(1, 'lists no image');

export function readDockerSave(dir: string, source: string): ParsedImage[] {
  const manifest = checked(ManifestSchema, readMemberJson(dir, 'manifest.json', 'manifest.json'), 'manifest.json');
  checkImageCount('manifest.json', manifest.length);
  manifest.forEach((entry, i) => checkLayerCount(`manifest.json's image ${entry.RepoTags?.[0] ?? i + 1}`, entry.Layers.length));
  // Images of one save may share a config: each is read and checked once.
  const configs = new Map<string, ConfigJson>();
  return manifest.map((entry) => {
    const config = configs.get(entry.Config) ?? checked(ConfigSchema, readMemberJson(dir, entry.Config, 'the config'), `config ${entry.Config}`);
    configs.set(entry.Config, config);
    const ids = diffIds(config, entry.Layers.length);
    const { createdBy, ...rest } = configAndHistory(config, entry.Layers.length, basename(source));
    const layers = entry.Layers.map((rel, i) => {
      resolveMember(dir, rel, 'layer');
      return { member: { root: dir, rel }, diffId: ids[i], createdBy: createdBy[i] };
    });
    return { layers, ...rest, tags: entry.RepoTags ?? [] };
  });
}

/**
 * The legacy `docker save` format (before Docker 1.10 wrote manifest.json,
 * and still loaded by Docker): `repositories` maps names to a top layer id;
 * each layer is a directory `<id>/` with `json` (its v1 config, naming its
 * `parent`) and `layer.tar`. The chain of parents, read top down, is the
 * layer list; the top layer's json holds the image's config. No digest of
 * the layers is listed, so each layer is named by the digest kit reads.
 */
const RepositoriesSchema = z.record(z.record(z.string().regex(/^[0-9a-f]{64}$/, 'is not a layer id')));
const LegacyLayerSchema = ConfigSchema.and(z.object({ parent: z.string().nullish(), container_config: z.object({ Cmd: z.union([z.array(z.string()), z.string()]).nullish() }).passthrough().nullish() }));

export function readLegacySave(dir: string, topLevel: string[], source: string): ParsedImage[] {
  const repositories = hasMember(dir, 'repositories') ? checked(RepositoriesSchema, readMemberJson(dir, 'repositories', 'repositories'), 'repositories') : {};
  const tops = new Map<string, string[]>();
  for (const [repo, tags] of Object.entries(repositories)) for (const [tag, id] of Object.entries(tags)) tops.set(id, [...(tops.get(id) ?? []), `${repo}:${tag}`]);
  if (tops.size === 0) {
    // No repositories file: the layer that is no other layer's parent is the image.
    const ids = topLevel.filter((name) => /^[0-9a-f]{64}$/.test(name));
    const parents = new Set(ids.map((id) => legacyLayer(dir, id).parent));
    const untagged = ids.filter((id) => !parents.has(id));
    if (untagged.length !== 1) throw new CorruptImageError(`the save has no 'repositories' file and ${untagged.length} top layers`);
    tops.set(untagged[0], []);
  }
  checkImageCount('repositories', tops.size);
  return [...tops].map(([top, tags]) => legacyImage(dir, top, tags, source));
}

function legacyImage(dir: string, top: string, tags: string[], source: string): ParsedImage {
  const chain: string[] = [];
  for (let id: string | undefined = top; id; id = legacyLayer(dir, id).parent ?? undefined) {
    // More than overlay2 stacks: a parent chain this long is a loop or an attack.
    if (chain.includes(id)) throw new CorruptImageError(`layer ${top.slice(0, 12)}'s parent chain loops`);
    checkLayerCount(`layer ${top.slice(0, 12)}'s parent chain`, chain.length);
    chain.push(id);
  }
  chain.reverse();
  const config = legacyLayer(dir, top);
  const { createdBy, ...rest } = configAndHistory({ ...config, history: undefined }, chain.length, basename(source));
  const steps = chain.map((id, i) => {
    const cmd = legacyLayer(dir, id).container_config?.Cmd;
    return (Array.isArray(cmd) ? cmd.join(' ') : cmd) || createdBy[i];
  });
  const layers = chain.map((id, i) => {
    resolveMember(dir, `${id}/layer.tar`, 'layer');
    return { member: { root: dir, rel: `${id}/layer.tar` }, createdBy: steps[i] };
  });
  return { layers, ...rest, history: steps.map((s) => ({ createdBy: s })), tags };
}

function legacyLayer(dir: string, id: string) {
  if (!/^[0-9a-f]{64}$/.test(id)) throw new CorruptImageError(`'${id}' is not a layer id`);
  return checked(LegacyLayerSchema, readMemberJson(dir, `${id}/json`, 'a layer config'), `${id.slice(0, 12)}/json`);
}
