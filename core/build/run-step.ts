import { newContainerId, runContainer, type RunResult } from '../engine/run';
import type { HostContext } from '../plan';
import { ImageStore, type Image } from '../image/store';
import { DEFAULT_PATH, defaultSpec, type ContainerSpec } from '../spec';
import type { TraceEvent } from '../trace/event';
import { containerLayerDir, storeContainerLayer, type StoredLayer } from '../storage/containers';

export interface RunStep {
  /** The command, run by /bin/sh -c. */
  script: string;
  /** The history entry of the layer it makes (the instruction's text). */
  createdBy: string;
  /** --storage-driver of kit build. */
  driver?: string;
  /** Each syscall of the step's container (kit build --trace). */
  onEvent?: (event: TraceEvent) => void;
}

export interface RunStepResult {
  run: RunResult;
  /** The container layer, stored as the step's layer; undefined when the command changed no file. */
  layer?: StoredLayer;
}

/**
 * One RUN instruction, as `docker build` runs it: a container made from the
 * image built so far, through kit run's own path (the driver's root, /proc,
 * /dev, pivot_root), in new mount, UTS, IPC, PID and cgroup namespaces.
 * The image so far is saved under a kit-internal name for the container to
 * start from (Docker's intermediate image); its container layer is kept past
 * the container's end and stored as the step's layer when the command
 * succeeded. Both are journaled in `ctx` (the build step's session) for
 * removal, so they go away with the step, or with a killed kit.
 */
export async function runStep(ctx: HostContext, image: Image, step: RunStep): Promise<RunStepResult> {
  const store = new ImageStore(ctx.paths);
  const stepImage = `kit-build-${ctx.id}`;
  ctx.changes.make({ op: 'remove', path: store.imageFile(stepImage) }, () => store.save({ ...image, name: stepImage }));
  const id = newContainerId();
  ctx.changes.make({ op: 'remove', path: containerLayerDir(ctx.paths, id) }, () => undefined);
  const spec: ContainerSpec = {
    ...defaultSpec(['/bin/sh', '-c', step.script]),
    env: image.config.Env ?? [DEFAULT_PATH],
    workdir: image.config.WorkingDir,
    image: stepImage,
    storageDriver: step.driver,
    keepLayer: true,
  };
  const run = await runContainer(spec, { paths: ctx.paths, id, onEvent: step.onEvent });
  if (run.exitCode !== 0) return { run };
  return { run, layer: await storeContainerLayer(ctx.paths, store, id, step.createdBy) };
}
