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
export { startContainer as ociStart, killContainer as ociKill, deleteContainer as ociDelete, pauseContainer as ociPause, containerProcesses as ociProcesses } from './lifecycle';
export { containerState as ociState, allStates as ociStates } from './state';
export { runtimeFeatures as ociFeatures } from './features';
export { execProcess as ociExec } from './exec';
export { tracePath as ociTracePath } from './state';
export { readTrace as ociTrace, type TraceSection as OciTraceSection } from './trace-file';
