import { KitError } from '../errors';
import { bridgeLinks } from './bridge-links';
import { capabilities, capabilitiesBefore } from './capabilities';
import { containerNetwork } from './container-network';
import { cgroupDir, memoryCgroupDir, pidsCgroupDir } from './cgroup-dir';
import { cgroupHierarchy } from './cgroup-hierarchy';
import { cgroupOfProcess } from './cgroup-of-process';
import { containerProcess } from './container-process';
import { cpuUsage } from './cpu-usage';
import { hostname } from './hostname';
import { hostLinks } from './host-links';
import { ipcQueues } from './ipc';
import { mounts } from './mounts';
import { kitCgroups } from './kit-cgroups';
import type { Probe, ProbeContext, ProbeResult } from './probe';
import { natRules } from './nat-rules';
import { processes } from './processes';
import { aufsBranches, containerDirs, imageLayers, storageDrivers, unionFilesystems, upperDir } from './storage';
import { reachContainer } from './reach-container';
import { filesMadeInside, userMapping } from './user-mapping';

export type { Probe, ProbeContext, ProbeResult } from './probe';

const PROBES: Probe[] = [
  processes,
  hostname,
  containerProcess,
  mounts,
  ipcQueues,
  imageLayers,
  containerDirs,
  upperDir,
  unionFilesystems,
  storageDrivers,
  aufsBranches,
  natRules,
  bridgeLinks,
  hostLinks,
  containerNetwork,
  reachContainer,
  cgroupHierarchy,
  cgroupDir,
  memoryCgroupDir,
  pidsCgroupDir,
  cgroupOfProcess,
  cpuUsage,
  kitCgroups,
  userMapping,
  filesMadeInside,
  capabilitiesBefore,
  capabilities,
];

function probeIds(): string[] {
  return PROBES.map((p) => p.id);
}

export async function runProbes(ids: string[], ctx: ProbeContext): Promise<ProbeResult[]> {
  const results: ProbeResult[] = [];
  for (const id of ids) {
    const probe = PROBES.find((p) => p.id === id);
    if (!probe) throw new KitError(`unknown host probe '${id}'`, `known probes: ${probeIds().join(', ')}`);
    const view = await probe.run(ctx);
    const wrap = view.wrap ?? probe.wrap;
    results.push({ probe: probe.id, title: view.title ?? probe.title, text: view.text, ...(wrap && { wrap }) });
  }
  return results;
}
