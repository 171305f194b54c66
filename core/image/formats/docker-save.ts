import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { configAndHistory, CorruptImageError, diffIds, fileInside, readJson, type ConfigJson, type ParsedImage } from './parsed';

/**
 * `docker save`: manifest.json lists, per image, its config JSON and its
 * layer tars bottom first (`<id>/layer.tar`, or `blobs/sha256/<hex>` since
 * Docker 25, which also writes an OCI layout next to it).
 */
interface ManifestJson {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

export function readDockerSave(dir: string, source: string): ParsedImage {
  const manifest = readJson<ManifestJson[]>(fileInside(dir, 'manifest.json', 'manifest'), 'manifest.json');
  if (!Array.isArray(manifest) || manifest.length === 0 || !Array.isArray(manifest[0].Layers)) throw new CorruptImageError('manifest.json lists no image with Layers');
  const image = manifest[0];
  const config = readJson<ConfigJson>(fileInside(dir, image.Config, 'config'), image.Config);
  const ids = diffIds(config, image.Layers.length);
  const { createdBy, ...rest } = configAndHistory(config, image.Layers.length, basename(source));
  const layers = image.Layers.map((rel, i) => {
    const file = fileInside(dir, rel, 'layer');
    if (!existsSync(file)) throw new CorruptImageError(`layer '${rel}' listed in manifest.json is missing`);
    return { file, diffId: ids[i], createdBy: createdBy[i] };
  });
  return { layers, ...rest };
}

