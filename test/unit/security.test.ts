import { capabilityMask, containerCapabilities, DEFAULT_SECCOMP_PROFILE, DOCKER_DEFAULT_CAPS, parseCapability, parseDockerProfile, parseSecurityOpts } from '../../core/security';
import { describeLoosening } from '../../core/security/options';
import { kernelAtLeast } from '../../core/kernel-version';
import { ruleFields, seccompFilters } from '../../core/security/seccomp-resolve';

test("Docker's default set is the 14 capabilities, mask a80425fb as /proc/<pid>/status prints it", () => {
  expect(DOCKER_DEFAULT_CAPS).toHaveLength(14);
  expect(capabilityMask(DOCKER_DEFAULT_CAPS).toString(16)).toBe('a80425fb');
});

test('capability names: with or without CAP_, any case, ALL; anything else is one line naming it', () => {
  expect(parseCapability('--cap-add', 'cap_net_admin')).toBe('NET_ADMIN');
  expect(parseCapability('--cap-add', 'SYS_ADMIN')).toBe('SYS_ADMIN');
  expect(parseCapability('--cap-drop', 'all')).toBe('ALL');
  expect(() => parseCapability('--cap-add', 'NET_ADMIM')).toThrow("unknown capability 'NET_ADMIM' in --cap-add");
});

test('--cap-add and --cap-drop combine as in Docker', () => {
  expect(containerCapabilities(['NET_ADMIN'])).toEqual(expect.arrayContaining([...DOCKER_DEFAULT_CAPS, 'NET_ADMIN']));
  expect(containerCapabilities(['NET_ADMIN'])).toHaveLength(15);
  expect(containerCapabilities([], ['ALL'])).toEqual([]);
  expect(containerCapabilities(['CHOWN'], ['ALL'])).toEqual(['CHOWN']);
  expect(containerCapabilities(['ALL'], ['SYS_ADMIN'])).not.toContain('SYS_ADMIN');
  expect(containerCapabilities([], ['NET_RAW'])).not.toContain('NET_RAW');
});

test("the default profile resolves as Docker's: mount and unshare only with SYS_ADMIN; clone3 gets ENOSYS without it", () => {
  const target = (caps: string[]) => ({ caps, arch: 'amd64', kernel: '6.1.0-13-amd64' });
  const allowed = (caps: string[]) => seccompFilters(DEFAULT_SECCOMP_PROFILE, target(caps))[0].rules.flatMap((r) => ruleFields(r));
  const plain = allowed(DOCKER_DEFAULT_CAPS);
  expect(plain).toContain('read');
  expect(plain).toContain('arch_prctl');
  expect(plain).toContain('chroot'); // SYS_CHROOT is in the default set
  expect(plain).not.toContain('mount');
  expect(plain).not.toContain('unshare');
  expect(plain).not.toContain('kexec_load');
  expect(plain).not.toContain('keyctl');
  expect(plain).not.toContain('s390_runtime_instr');
  expect(plain).toContain(`clone|0:masked_eq:${0x7e020000}:0`);
  expect(allowed([...DOCKER_DEFAULT_CAPS, 'SYS_ADMIN'])).toEqual(expect.arrayContaining(['mount', 'unshare', 'clone']));
  const filters = seccompFilters(DEFAULT_SECCOMP_PROFILE, target(DOCKER_DEFAULT_CAPS));
  expect(filters.map((f) => [f.otherwise, f.match])).toEqual([
    [{ kind: 'errno', data: 1 }, { kind: 'allow' }],
    [{ kind: 'allow' }, { kind: 'errno', data: 38 }],
  ]);
  expect(filters[1].rules.flatMap((r) => r.names)).toEqual(['clone3']);
  expect(seccompFilters(DEFAULT_SECCOMP_PROFILE, target([...DOCKER_DEFAULT_CAPS, 'SYS_ADMIN']))).toHaveLength(1);
});

test('kernel versions compare by major then minor', () => {
  expect(kernelAtLeast('6.1.0-13-amd64', '4.8')).toBe(true);
  expect(kernelAtLeast('4.19.0', '4.8')).toBe(true);
  expect(kernelAtLeast('4.4.0', '4.8')).toBe(false);
});

test("Docker's JSON profile format: parsed, and a mistake is one line naming the field", () => {
  const profile = parseDockerProfile({ defaultAction: 'SCMP_ACT_ERRNO', defaultErrnoRet: 1, syscalls: [{ names: ['read'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 1, op: 'SCMP_CMP_EQ' }] }] }, 'p.json');
  expect(profile.defaultAction).toEqual({ kind: 'errno', data: 1 });
  expect(ruleFields(profile.rules[0])).toEqual(['read|0:eq:1']);
  const bad = (json: unknown) => () => parseDockerProfile(json, 'p.json');
  expect(bad([])).toThrow('seccomp profile p.json: the profile must be an object');
  expect(bad({ syscalls: [] })).toThrow('defaultAction must be a string');
  expect(bad({ defaultAction: 'SCMP_ACT_NOPE' })).toThrow("defaultAction 'SCMP_ACT_NOPE' is not a seccomp action");
  expect(bad({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ action: 'SCMP_ACT_ERRNO' }] })).toThrow('syscalls[0] has neither "names" nor "name"');
  expect(bad({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['read'], action: 'SCMP_ACT_ERRNO', args: [{ index: 7, value: 0, op: 'SCMP_CMP_EQ' }] }] })).toThrow('syscalls[0].args[0].index is 7');
  expect(bad({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['read'], action: 'SCMP_ACT_ERRNO', args: [{ index: 0, value: -1, op: 'SCMP_CMP_EQ' }] }] })).toThrow('syscalls[0].args[0].value must be a whole number');
  expect(bad({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['re;ad'], action: 'SCMP_ACT_ERRNO' }] })).toThrow("has 're;ad', which is not a syscall name");
  expect(bad({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['read'], action: 'SCMP_ACT_ERRNO', includes: { caps: ['CAP_FLY'] } }] })).toThrow("has 'CAP_FLY', which is not a capability");
});

test('--security-opt values: seccomp=unconfined, no-new-privileges, systempaths=unconfined; anything else names itself', () => {
  expect(parseSecurityOpts(['seccomp=unconfined', 'no-new-privileges'])).toEqual({ seccomp: 'unconfined', noNewPrivileges: true });
  expect(parseSecurityOpts(['no-new-privileges:false', 'systempaths=unconfined'])).toEqual({ noNewPrivileges: false, unmaskedPaths: true });
  expect(() => parseSecurityOpts(['label=disable'])).toThrow("unknown security option 'label=disable' in --security-opt");
  expect(() => parseSecurityOpts(['seccomp='])).toThrow("unknown security option 'seccomp='");
});

test('what a chapter loosens is said in a few words, nothing when it only tightens', () => {
  expect(describeLoosening({})).toBeUndefined();
  expect(describeLoosening({ capDrop: ['NET_RAW'] })).toBeUndefined();
  expect(describeLoosening({ privileged: true })).toMatch(/^unconfined \(--privileged\)/);
  expect(describeLoosening({ capAdd: ['SYS_ADMIN'], seccomp: 'unconfined' })).toBe('partly unconfined: with CAP_SYS_ADMIN added, no seccomp filter');
});
