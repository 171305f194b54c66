import { ImageStore } from '../image/store';
import type { KitPaths } from '../paths';
import type { ContainerSpec } from '../spec';
import { planCgroupNamespace } from './cgroupns';
import { planCgroupSelfJoin, planCgroups } from './cgroups';
import { planDeviceProgram, planDevices } from './devices';
import { planExec } from './exec';
import { planHostname } from './hostname';
import { planMountPropagation } from './mount-propagation';
import { planName } from './name';
import { planNamespaces } from './namespaces';
import { newAfterUserJoin, planJoinNamespaces } from './join-namespaces';
import { resolveModeContainers } from './namespace-modes';
import { planShareableShm } from './shareable-shm';
import { SIG } from '../linux';
import { planTimeNamespace } from './timens';
import { planProcessLimits } from './process-limits';
import { planNetwork, type NetworkAttachment } from './network';
import { planNetworkFiles } from './network-files';
import { addPart, emptyPlan, type Plan, type PlanPart } from './plan';
import { planProc } from './proc';
import { planRootfs } from './rootfs';
import { planSecurity } from './security';
import { planConsole } from './console';
import { planMounts } from './mounts';
import { planUserNamespace, type UsernsMaps } from './userns';
import { containerRoot, hostDirRoot } from '../storage/container-root';
import { sharingCgroups } from '../cgroups/container';
import { imageOfContainer } from '../storage/containers';

export type { Plan, PlanPart, HostStep, ContainerStep, StepOf, HostContext } from './plan';
export { joinParts } from './plan';

/**
 * spec -> plan. Each part of kit adds its steps; the order here is the order
 * they run in, and so the order of the trace. `demo` is what a chapter adds
 * to show its point (a host object to hide, an escape attempt), run last
 * before the command. `runtime` is setup written outside kit (a lab's student
 * code): it runs where a runtime's own setup runs, before the confinement,
 * so the command is confined as any container's.
 */
export function buildPlan(given: ContainerSpec, id: string, paths: KitPaths, demo: PlanPart = {}, runtime: PlanPart = {}): Plan {
  return sharingCgroups(() => planOf(given, id, paths, demo, runtime));
}

function planOf(given: ContainerSpec, id: string, paths: KitPaths, demo: PlanPart, runtime: PlanPart): Plan {
  // --ipc shareable: its /dev/shm a tmpfs on the host, which the container (and its joiners) bind
  const shm = planShareableShm(resolveModeContainers(given, paths), id, paths);
  const spec = shm.spec;
  const network: NetworkAttachment = {};
  const userns: UsernsMaps = {};
  const root = spec.rootDir ? hostDirRoot(spec.rootDir) : spec.image ? containerRoot(paths, id, spec.image, spec.storageDriver, spec.keepLayer ?? false, spec.namespaces.includes('user') ? userns : undefined) : undefined;
  // With an image, the /etc files are mounted into it before the root switch (planRootfs places them).
  const etcFiles = planNetworkFiles(spec, id, paths, network, root?.rootfs);
  const parts: PlanPart[] = [
    // first: on cgroup v1 kit-init moves itself into the container's cgroups before it runs any other step
    planCgroupSelfJoin(spec, id),
    planName(spec),
    planNamespaces(spec),
    planJoinNamespaces(spec),
    planTimeNamespace(spec),
    planDeviceProgram(spec, id),
    planUserNamespace(spec, userns),
    planNetwork(spec, id, paths, network),
    shm.part,
    planMountPropagation(spec),
    // before the mounts: a cgroup2 mount made inside the namespace has the container's cgroup as its root
    planCgroupNamespace(spec),
    root ? {} : etcFiles,
    planHostname(spec, id, paths),
    planProc(spec),
    planRootfs(spec, root, etcFiles, planMounts(spec, id, paths, root?.rootfs)),
    planCgroups(spec, id),
    planDevices(spec, id),
    runtime,
    planConsole(spec),
    planProcessLimits(spec),
    planSecurity(spec),
    demo,
    planInit(spec),
    planExec(spec, commandRoots(spec, paths, id)),
  ];
  const plan = parts.reduce(addPart, emptyPlan());
  // a joined user namespace: kit-init makes the new ones once in it (join-namespaces.ts)
  return newAfterUserJoin(spec) ? { ...plan, cloneFlags: SIG.CHLD } : plan;
}

/**
 * docker run --init: kit-init forks once more, right before the exec, and
 * stays behind as PID 1 (native-rs/src/init/reaper.rs): it reaps orphans and
 * passes signals on, so the command need not be written to be an init.
 */
function planInit(spec: ContainerSpec): PlanPart {
  if (!spec.init) return {};
  return { container: [{ op: 'reaper', why: '--init: fork; this process stays PID 1, reaping orphans and passing signals on; the child runs the command' }] };
}

/** Where the command is looked up: the image's layers, top first, or the host's "/". */
function commandRoots(spec: ContainerSpec, paths: KitPaths, id: string): string[] {
  if (spec.rootDir) return [spec.rootDir];
  if (!spec.image) return ['/'];
  const store = new ImageStore(paths);
  return store.layerDirs(imageOfContainer(paths, store, id) ?? store.get(spec.image)).reverse();
}
