import type { ContainerSpec } from '../spec';
import { readBundle } from './bundle';
import { ociToSpec } from './to-spec';

export { parseOciConfig, type OciConfig } from './config';
export { readBundle, type Bundle } from './bundle';
export { ociToSpec } from './to-spec';
export { defaultOciConfig, OCI_VERSION } from './default-config';
export { writeDefaultConfig } from './write-config';

/** An OCI bundle directory -> the ContainerSpec kit runs (checked; one line naming the field if not). */
export function bundleSpec(bundleDir: string): ContainerSpec {
  const bundle = readBundle(bundleDir);
  return ociToSpec(bundle.config, bundle.rootfs);
}
/** kit-runtime's verbs (bin/kit-runtime.js), named apart from kit's own container verbs. */
export { createContainer as ociCreate, type CreateOptions } from './create';
export { startContainer as ociStart, killContainer as ociKill, deleteContainer as ociDelete, containerState as ociState, allStates as ociStates, pauseContainer as ociPause, containerProcesses as ociProcesses } from './lifecycle';
export { runtimeFeatures as ociFeatures } from './features';
export { execProcess as ociExec } from './exec';
export { tracePath as ociTracePath } from './state';
export { readTrace as ociTrace, type TraceSection as OciTraceSection } from './trace-file';
export { updateContainer as ociUpdate, readResources as ociReadResources, resourcesFromFlags as ociResourcesFromFlags } from './update';
export { watchEvents as ociEvents } from './events';
