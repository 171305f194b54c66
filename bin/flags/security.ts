import { Flags } from '@oclif/core';
import { parseCapability, parseSecurityOpts, type ContainerSpec } from '../../core';

/**
 * docker run's confinement flags. Without them a container gets Docker's
 * defaults: 14 capabilities, the default seccomp profile, masked /proc and
 * /sys paths. Values are checked here, before anything is created.
 */
export const securityFlags = {
  'cap-add': Flags.string({ multiple: true, multipleNonGreedy: true, helpGroup: 'SECURITY', helpValue: 'CAP', description: 'add a capability (NET_ADMIN or CAP_NET_ADMIN; ALL for every one)' }),
  'cap-drop': Flags.string({ multiple: true, multipleNonGreedy: true, helpGroup: 'SECURITY', helpValue: 'CAP', description: 'drop a capability from Docker\'s default 14 (ALL for every one)' }),
  privileged: Flags.boolean({ default: false, helpGroup: 'SECURITY', description: 'turn the confinement off: every capability, no seccomp filter, no masked paths' }),
  'security-opt': Flags.string({
    multiple: true,
    multipleNonGreedy: true,
    helpGroup: 'SECURITY',
    helpValue: 'OPT',
    description: 'seccomp=unconfined, seccomp=PROFILE.json (Docker\'s format), no-new-privileges, systempaths=unconfined',
  }),
};

export function securitySpec(flags: { 'cap-add'?: string[]; 'cap-drop'?: string[]; privileged: boolean; 'security-opt'?: string[] }): Pick<ContainerSpec, 'security'> {
  const capAdd = (flags['cap-add'] ?? []).map((c) => parseCapability('--cap-add', c));
  const capDrop = (flags['cap-drop'] ?? []).map((c) => parseCapability('--cap-drop', c));
  return { security: { privileged: flags.privileged, capAdd, capDrop, ...parseSecurityOpts(flags['security-opt'] ?? []) } };
}
