/** Confinement: capabilities, seccomp, no_new_privs, masked paths (Docker's defaults and flags). */
export { parseCapability, containerCapabilities, capabilityNames, capabilityMask, processCapabilities, DOCKER_DEFAULT_CAPS, CAPABILITIES } from './capabilities';
export { parseSecurityOpts, confinement, type SecurityOptions, type Confinement } from './options';
export { DEFAULT_SECCOMP_PROFILE } from './seccomp-default';
export { readDockerProfile, parseDockerProfile } from './docker-seccomp';
export type { SeccompProfile } from './seccomp-profile';
