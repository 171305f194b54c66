import { ImageStore } from '../image/store';
import { removeImage } from '../image/remove';
import { pruneHostNetwork, withNetworkLock, type PruneResult } from '../network';
import type { KitPaths } from '../paths';
import { containerLayerDir, listContainerLayers } from '../storage/containers';
import { treeSize } from '../storage/tree';
import { listVolumes, removeVolume } from '../storage/volumes';
import { TraceRecorder } from '../trace/recorder';
import { allContainers, type ContainerRef } from './names';
import { removeContainer } from './remove';

/** One row of `kit system df`, in Docker's columns. */
export interface DiskUsageRow {
  type: 'Images' | 'Containers' | 'Local Volumes';
  total: number;
  active: number;
  /** Bytes on disk. */
  size: number;
  /** Bytes that `kit system prune` (-a, --volumes) would free. */
  reclaimable: number;
}

const specOf = (c: ContainerRef) => c.running?.spec ?? c.record?.spec;

/**
 * `kit system df`, as `docker system df`: images (a layer shared by several
 * images counts once), containers (their writable layers) and volumes; active
 * means used by a container (images, volumes) or running (containers).
 */
export function diskUsage(paths: KitPaths): DiskUsageRow[] {
  const containers = allContainers(paths);
  const store = new ImageStore(paths);
  const images = store.list();
  const usedImages = new Set([...containers.map((c) => specOf(c)?.image), ...listContainerLayers(paths).map((l) => l.image)].filter(Boolean));
  const layerSize = new Map<string, number>();
  for (const image of images) for (const digest of image.layers) if (!layerSize.has(digest)) layerSize.set(digest, treeSize(store.layerDir(digest)));
  const keptLayers = new Set(images.filter((i) => usedImages.has(i.name)).flatMap((i) => i.layers));
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const containerSize = (c: ContainerRef) => treeSize(containerLayerDir(paths, c.id));
  const usedVolumes = new Set(containers.flatMap((c) => (specOf(c)?.mounts ?? []).filter((m) => m.type === 'volume').map((m) => m.source)));
  const volumes = listVolumes(paths);
  const volumeSize = new Map(volumes.map((v) => [v.name, treeSize(v.mountpoint)]));
  return [
    {
      type: 'Images',
      total: images.length,
      active: images.filter((i) => usedImages.has(i.name)).length,
      size: sum([...layerSize.values()]),
      reclaimable: sum([...layerSize].filter(([d]) => !keptLayers.has(d)).map(([, s]) => s)),
    },
    {
      type: 'Containers',
      total: containers.length,
      active: containers.filter((c) => c.running).length,
      size: sum(containers.map(containerSize)),
      reclaimable: sum(containers.filter((c) => !c.running).map(containerSize)),
    },
    {
      type: 'Local Volumes',
      total: volumes.length,
      active: volumes.filter((v) => usedVolumes.has(v.name)).length,
      size: sum([...volumeSize.values()]),
      reclaimable: sum(volumes.filter((v) => !usedVolumes.has(v.name)).map((v) => volumeSize.get(v.name) ?? 0)),
    },
  ];
}

export interface SystemPruneResult {
  containers: string[];
  images: string[];
  volumes: string[];
  network: PruneResult;
}

/**
 * `kit system prune`, as `docker system prune`: stopped containers, then kit0
 * and its rules if no container uses them (`kit network prune`); with `all`
 * every image no container uses (kit has no dangling images: each is named);
 * with `volumes` every volume no container names.
 */
export async function systemPrune(paths: KitPaths, options: { all?: boolean; volumes?: boolean }): Promise<SystemPruneResult> {
  const containers: string[] = [];
  for (const c of allContainers(paths).filter((c) => !c.running)) containers.push(await removeContainer(paths, c.id, false));
  const left = allContainers(paths);
  const images: string[] = [];
  if (options.all) {
    const store = new ImageStore(paths);
    const used = new Set([...left.map((c) => specOf(c)?.image), ...listContainerLayers(paths).map((l) => l.image)]);
    for (const image of store.list().filter((i) => !used.has(i.name))) {
      removeImage(store, paths, image.name);
      images.push(image.name);
    }
  }
  const volumes: string[] = [];
  if (options.volumes) {
    const used = new Set(left.flatMap((c) => (specOf(c)?.mounts ?? []).filter((m) => m.type === 'volume').map((m) => m.source)));
    for (const v of listVolumes(paths).filter((v) => !used.has(v.name))) {
      removeVolume(paths, v.name, []);
      volumes.push(v.name);
    }
  }
  const trace = new TraceRecorder();
  const network = withNetworkLock(trace, () => pruneHostNetwork(trace));
  return { containers, images, volumes, network };
}
