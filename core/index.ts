/**
 * kit's engine, the public API that bin/ and labs/ build on.
 */
export { KitError, SyscallError } from './errors';
export { kitPaths, type KitPaths } from './paths';
export { defaultSpec, NAMESPACES, DEFAULT_PATH, type ContainerSpec, type Namespace, type NetworkMode } from './spec';
export { buildPlan, type Plan, type ContainerStep, type HostStep } from './plan';
export { runContainer, type RunOptions, type RunResult } from './engine/run';
export { startDetached, type Detached } from './engine/detached';
export { runShim } from './engine/shim';
export { startFailure, shellStatus } from './engine/outcome';
export { execInContainer } from './engine/exec';
export { findContainer } from './engine/names';
export { listContainers, type ContainerInfo } from './engine/list';
export { containerStats, STATS_INTERVAL_MS, type ContainerStats } from './engine/stats';
export { stopContainer, killContainer } from './engine/stop';
export { removeContainer } from './engine/remove';
export { readLogs, followLogs } from './engine/logs';
export type { ContainerState } from './engine/state';
export { renderTrace, renderEvent, type RenderOptions } from './trace/render';
export { elideMiddle, cutEnd, wrapWords, visibleWidth, stripAnsi } from './trace/width';
export { diffLines, unchanged, type DiffLine } from './trace/diff';
export type { RunRecord, TimedRecord, RecordingHeader, RecordedChapter, HostFacts, ProbePhase } from './record/records';
export type { ProcessNode } from './record/process-tree';
export { RecordingWriter, readRecording, recordingHeader, RECORDING_VERSION, type Recording } from './record/file';
export type { TraceEvent } from './trace/event';
export { TraceRecorder } from './trace/recorder';
export { runChapter, requirementsOf, type Chapter, type ChapterResult } from './chapter';
export { unmet, type Requirement } from './support';
export type { ProbeResult } from './probes';
export { StraceObserver, commandCalls } from './strace';
export { ImageStore, type Image, type ImageConfig } from './image/store';
export { ensureImage } from './image/ensure';
export { BASE_IMAGE } from './image/base/build';
export { specFromImage, type RunRequest } from './image/run-spec';
export { importImage, type ImageFormat, type ProgressFactory } from './image/import';
export { exportImage, type ExportFormat } from './image/export';
