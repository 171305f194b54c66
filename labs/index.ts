/** The labs, for bin/: the catalog, the checker, the student's workspace. */
export { loadLabs, findLab } from './catalog';
export type { Lab, LabRun, Check, Given } from './lab';
export { checkLab, type CheckReport } from './checker';
export type { LabProgress } from './workspace';
export { startLab, resetLab, solutionOf, progressOf, readProgress, updateProgress, labFile, workDir } from './workspace';
export { checkCommandFor, needsRootBecause, viaUserNamespace } from './rootless';
