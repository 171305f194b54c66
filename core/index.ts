/**
 * kit's engine, the public API that bin/ and labs/ build on.
 */
import { lazy } from './lazy';

/*
 * Modules that `kit run` never needs are loaded on first call (core/lazy.ts).
 */
export { KitError, SyscallError } from './errors';
export { kitPaths, containerDir, type KitPaths } from './paths';
export { defaultSpec, type RestartPolicy, NAMESPACES, DEFAULT_PATH, type ContainerSpec, type Namespace, type NetworkMode, type UsernsMode, type Mount as MountSpec } from './spec';
export { buildPlan, joinParts, type Plan, type PlanPart, type ContainerStep, type HostStep, type HostContext } from './plan';
export { runContainer, newContainerId, type RunOptions, type RunResult } from './engine/run';
export { reapOrphans } from './engine/state';
export { startDetached, type Detached } from './engine/detached';
export { runShim } from './engine/shim';
export { startFailure, shellStatus } from './engine/outcome';
export { execInContainer } from './engine/exec';
export { inspectContainer } from './engine/inspect';
export { findContainer, findAnyContainer, lookupAnyContainer, allContainers, type ContainerRef } from './engine/names';
export { listContainers, type ContainerInfo, type ContainerStatus } from './engine/list';
export { readRecord, type ContainerRecord, type ExitRecord } from './engine/record';
export { setPaused, isPaused } from './engine/pause';
export { containerStats, STATS_INTERVAL_MS, type ContainerStats } from './engine/stats';
export { stopContainer, killContainer } from './engine/stop';
export { removeContainer } from './engine/remove';
export { waitContainer } from './engine/wait';
export { startContainer as startKeptContainer, restartContainer } from './engine/start';
export { parseRestartPolicy } from './engine/restart-policy';
export { parseSignal, signalContainer } from './engine/signal';
export { containerPids } from './engine/top';
export { readLogs, followLogs, type LogEntry } from './engine/logs';
export type { ContainerState } from './engine/state';
export { renderTrace, renderEvent, type RenderOptions } from './trace/render';
export { elideMiddle, cutEnd, wrapWords, visibleWidth, stripAnsi } from './trace/width';
export { diffLines, unchanged, type DiffLine } from './trace/diff';
export type { RunRecord, TimedRecord, RecordingHeader, RecordedChapter, HostFacts, ProbePhase } from './record/records';
export type { ProcessNode } from './record/process-tree';
export { RecordingWriter, readRecording, recordingHeader, RECORDING_VERSION, type Recording } from './record/file';
export type { TraceEvent } from './trace/event';
export { TraceRecorder } from './trace/recorder';
export type { Chapter, ChapterResult } from './curriculum/chapter';
const chapter = () => require('./curriculum/chapter') as typeof import('./curriculum/chapter');
export const runChapter = lazy(chapter, 'runChapter');
export const unconfinedNote = lazy(chapter, 'unconfinedNote');
export const requirementsOf = lazy(chapter, 'requirementsOf');
export { run as claimData, type Claim, type CheckedClaim, type ChapterResultData } from './curriculum/claims';
export { chrootEscapeAttempt, chrootEscapeDemo, WHERE_AM_I } from './curriculum/demos/chroot-escape';
export { hostMessageQueueDemo } from './curriculum/demos/host-message-queue';
export { sharedDirectoryDemo } from './curriculum/demos/shared-directory';
export { forThisUser, viaUserNamespace } from './curriculum/rootless';
export { unmet, type Requirement } from './support';
export type { ProbeResult } from './probes';
export { StraceObserver, commandCalls } from './strace';
export { ImageStore, type Image, type ImageConfig } from './image/store';
export { ensureImage } from './image/ensure';
export { BASE_IMAGE } from './image/base/build';
export { specFromImage, type RunRequest } from './image/run-spec';
export type { ImageFormat, ImportResult, ProgressFactory } from './image/import';
export const importImage = lazy(() => require('./image/import') as typeof import('./image/import'), 'importImage');
export { DEFAULT_LIMITS, parseLimit, type ImportLimits } from './image/limits';
export { removeImage } from './image/remove';
export { checkTarget as checkMountTarget } from './plan/mounts';
export { checkVolumeName, ensureVolume, listVolumes, readVolume, removeVolume, type Volume } from './storage/volumes';
export { withStdinArchive } from './image/stdin-archive';
export type { ExportFormat } from './image/export';
export const exportImage = lazy(() => require('./image/export') as typeof import('./image/export'), 'exportImage');
export { imageHistory } from './image/history';
export const buildImage = lazy(() => require('./build/build') as typeof import('./build/build'), 'buildImage');
export { diffContainer, commitContainer } from './storage/containers';
export { DRIVER_NAMES } from './storage/drivers';
export { parseBytes, parseNumber, type Resources } from './cgroups/limits';
export { BRIDGE, pruneHostNetwork, withNetworkLock, checkHostPortFree, formatPort, iptablesBackend, parsePort, type PortMapping } from './network';
export { systemInfo, type SystemInfo } from './info';
export { parseMapFlag, type IdMaps } from './userns/id-map';
/** chalk at kit's colour level (NO_COLOR honoured): what bin/ prints with. */
export { default as chalk } from './trace/colors';
/** The building blocks a lab's student code uses: Linux constants, traced host programs, the cgroup layout. */
export { CLONE, MS, MNT_DETACH } from './linux';
export { runCommand, checkCommand, type CommandResult } from './host/command';
export { mountTable, type Mount } from './host/mountinfo';
export { detectHost as cgroupHost, CGROUP_ROOT, type CgroupHost } from './cgroups/detect';
export type { NativeAddon } from './native';
/** Confinement (--cap-add, --privileged, --security-opt): Docker's defaults and how flags change them. */
export { parseCapability, parseSecurityOpts, confinement, type SecurityOptions } from './security';
export { droppedCapabilityDemo, seccompDemo } from './curriculum/demos/attempts';
export { loopbackServiceDemo, LOOPBACK_SERVICE_PORT } from './curriculum/demos/loopback-service';
export { ESCAPE_SCRIPT, escapeReport } from './curriculum/escape-attacks';
export { OCI_VERSION } from './oci/default-config';
export type { OciConfig } from './oci';
const oci = () => require('./oci') as typeof import('./oci');
export const bundleSpec = lazy(oci, 'bundleSpec');
export const writeDefaultConfig = lazy(oci, 'writeDefaultConfig');
export const defaultOciConfig = lazy(oci, 'defaultOciConfig');
export const parseOciConfig = lazy(oci, 'parseOciConfig');
export const readBundle = lazy(oci, 'readBundle');
export const ociToSpec = lazy(oci, 'ociToSpec');
