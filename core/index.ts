/**
 * kit's engine, the public API that bin/ and labs/ build on.
 */
export { KitError, SyscallError } from './errors';
export { kitPaths, type KitPaths } from './paths';
export { defaultSpec, NAMESPACES, DEFAULT_PATH, type ContainerSpec, type Namespace } from './spec';
export { buildPlan, type Plan, type ContainerStep, type HostStep } from './plan';
export { runContainer, type RunOptions, type RunResult } from './engine/run';
export { startDetached, type Detached } from './engine/detached';
export { runShim } from './engine/shim';
export { startFailure, shellStatus } from './engine/outcome';
export { execInContainer } from './engine/exec';
export { findContainer } from './engine/names';
export { listContainers, type ContainerInfo } from './engine/list';
export { stopContainer, killContainer } from './engine/stop';
export { readLogs, followLogs } from './engine/logs';
export type { ContainerState } from './engine/state';
export { renderTrace, renderEvent } from './trace/render';
export type { TraceEvent } from './trace/event';
export { runChapter, chapterSpec, requirementsOf, type Chapter, type ChapterResult } from './chapter';
export { unmet, type Requirement } from './support';
export type { ProbeResult } from './probes';
export { StraceObserver } from './strace';
