/**
 * kit-runtime's entry point into core (bin/runtime-cli.js), beside
 * core/index.ts, the CLI's. podman, conmon and containerd's shim start
 * kit-runtime several times per container (create, start, state, kill,
 * delete), each a fresh process: so each verb loads only the modules it
 * needs, on its first call. `state` reads a state file and /proc, not the
 * engine; only `create`, `exec` and `run` load the plan and its native
 * execution.
 */
import { lazy } from './lazy';

export { kitPaths, type KitPaths } from './paths';
export { OCI_VERSION } from './oci/version';

const state = () => require('./oci/state') as typeof import('./oci/state');
const lifecycle = () => require('./oci/lifecycle') as typeof import('./oci/lifecycle');
const oci = () => require('./oci') as typeof import('./oci');
const update = () => require('./oci/update') as typeof import('./oci/update');
const events = () => require('./oci/events') as typeof import('./oci/events');
const run = () => require('./engine/run') as typeof import('./engine/run');
const outcome = () => require('./engine/outcome') as typeof import('./engine/outcome');

export const ociState = lazy(state, 'containerState');
export const ociStates = lazy(state, 'allStates');
export const ociExists = lazy(state, 'containerExists');
export const ociStart = lazy(lifecycle, 'startContainer');
export const ociKill = lazy(lifecycle, 'killContainer');
export const ociDelete = lazy(lifecycle, 'deleteContainer');
export const ociPause = lazy(lifecycle, 'pauseContainer');
export const ociProcesses = lazy(lifecycle, 'containerProcesses');
export const ociUpdate = lazy(update, 'updateContainer');
export const ociReadResources = lazy(update, 'readResources');
export const ociResourcesFromFlags = lazy(update, 'resourcesFromFlags');
export const ociEvents = lazy(events, 'watchEvents');
export const ociCreate = lazy(oci, 'ociCreate');
export const ociExec = lazy(oci, 'ociExec');
export const ociFeatures = lazy(oci, 'ociFeatures');
export const writeDefaultConfig = lazy(oci, 'writeDefaultConfig');
export const bundleSpec = lazy(oci, 'bundleSpec');
/** `kit-runtime run`: a container in the foreground, as `kit run` runs one. */
export const runContainer = lazy(run, 'runContainer');
export const startFailure = lazy(outcome, 'startFailure');
export const shellStatus = lazy(outcome, 'shellStatus');
