import { resourcesFromFlags } from '../../bin/flags/cgroups';
import { CLONE, MS } from '../../core/linux';
import { parsePort } from '../../core/network';
import { kitPaths } from '../../core/paths';
import { buildPlan } from '../../core/plan';
import { defaultSpec, type ContainerSpec } from '../../core/spec';
import { fakeCgroupV2Host } from '../support/cgroup-fixture';

/**
 * spec -> plan, without running anything: what `kit run -p 8080:80
 * --cpu-quota 50000 --memory 64m base httpd` asks of the host and of
 * kit-init, in the order it happens.
 */
let cgroups: ReturnType<typeof fakeCgroupV2Host>;
beforeEach(() => (cgroups = fakeCgroupV2Host()));
afterEach(() => cgroups.restore());

const paths = kitPaths({ KIT_ROOT: '/nonexistent/kit-root' });
const spec: ContainerSpec = {
  ...defaultSpec(['/bin/httpd', '-f', '-p', '80']),
  network: 'bridge',
  ports: parsePort('8080:80'),
  resources: resourcesFromFlags({ 'cpu-quota': '50000', memory: '64m' }),
};

test('-p 8080:80 --cpu-quota 50000 --memory 64m: the host steps, in order', () => {
  const plan = buildPlan(spec, 'c0ffee', paths);
  expect(plan.prepare.map((s) => s.why)).toEqual([
    'join the kit0 network: the bridge and NAT are made once, shared and kept (as docker0 is); this container gets an address and its ports',
    "the container's endpoint: a veth pair",
    "write the container's /etc/hostname, /etc/hosts and /etc/resolv.conf in its state dir",
    "the container's cgroup (v2): a directory kit creates, whose files set the limits",
  ]);
  expect(plan.attach.map((s) => s.why)).toEqual([
    "wire the veth into the container's network namespace",
    'join the cgroup before running anything: the child is waiting, so no instruction of it runs unlimited',
  ]);
  expect(plan.exited.map((s) => s.why)).toEqual(['read what the kernel counted before the cgroup is removed']);
});

test('-p 8080:80 --cpu-quota 50000 --memory 64m: clone flags and the container steps, in order', () => {
  const plan = buildPlan(spec, 'c0ffee', paths);
  const { NEWNS, NEWUTS, NEWIPC, NEWPID, NEWNET } = CLONE;
  expect(plan.cloneFlags).toBe(NEWNS | NEWUTS | NEWIPC | NEWPID | NEWNET | 17 /* SIGCHLD */);
  const state = '/nonexistent/kit-root/run/containers/c0ffee';
  // Docker's default confinement (capabilities, seccomp: what this process holds decides the
  // details; tested in security.test.ts) comes last, right before the command.
  const confinement = ['no_new_privs', 'seccomp', 'capbset_drop', 'capset', 'ambient_clear'];
  const ops = plan.container.map((step) => step.op);
  const first = ops.findIndex((op) => confinement.includes(op));
  expect(ops.slice(first, -1).every((op) => confinement.includes(op))).toBe(true);
  expect(ops.slice(first)).toEqual(expect.arrayContaining(['capset', 'seccomp', 'exec']));
  const steps = plan.container.filter((step) => !confinement.includes(step.op));
  expect(steps.map(({ why: _why, hint: _hint, hintErrno: _hintErrno, ...step }) => step)).toEqual([
    // cgroup v2: Docker's device rules as a BPF program on the container's cgroup (v1 writes devices.allow from the host)
    { op: 'device_program', cgroup: `${cgroups.root}/kit/c0ffee`, rules: expect.arrayContaining(['c:1:3:rwm', 'c:136:*:rwm']) },
    // eth0, configured by kit-init over rtnetlink; its address is filled in once IPAM leases it (a prepare step)
    { op: 'link_set', link: 'kitcc0ffee', name: 'eth0', mac: '', up: false },
    { op: 'addr_add', link: 'eth0', address: '', prefix: 0 },
    { op: 'link_set', link: 'eth0', name: '', mac: '', up: true },
    { op: 'link_set', link: 'lo', name: '', mac: '', up: true },
    { op: 'route_add_default', gateway: '' },
    { op: 'mount', source: '', target: '/', fstype: '', flags: MS.REC | MS.PRIVATE, data: '' },
    // before any mount: a cgroup2 filesystem mounted inside the namespace is rooted at the container's cgroup
    { op: 'unshare', flags: CLONE.NEWCGROUP },
    { op: 'mount', source: `${state}/hostname`, target: '/etc/hostname', fstype: '', flags: MS.BIND, data: '' },
    { op: 'mount', source: `${state}/hosts`, target: '/etc/hosts', fstype: '', flags: MS.BIND, data: '' },
    { op: 'mount', source: `${state}/resolv.conf`, target: '/etc/resolv.conf', fstype: '', flags: MS.BIND, data: '' },
    { op: 'sethostname', name: 'c0ffee' },
    { op: 'mount', source: 'proc', target: '/proc', fstype: 'proc', flags: MS.NOSUID | MS.NODEV | MS.NOEXEC, data: '' },
    { op: 'exec', path: '/bin/httpd', argv: ['/bin/httpd', '-f', '-p', '80'], env: spec.env },
  ]);
  expect(plan.container.every((step) => step.why.length > 0)).toBe(true);
});

test('a bad value makes no plan: -p with --network none', () => {
  expect(() => buildPlan({ ...spec, network: 'none' }, 'c0ffee', paths)).toThrow('-p needs --network bridge, not none');
});

test("one plan reads the host's cgroup layout once, however many of its parts ask; the next plan reads it again", () => {
  const detectHost = jest.spyOn(jest.requireActual<typeof import('../../core/cgroups/detect')>('../../core/cgroups/detect'), 'detectHost');
  detectHost.mockClear();
  buildPlan(spec, 'c0ffee', paths);
  expect(detectHost).toHaveBeenCalledTimes(1); // the join, the limits, the device rules and the cgroup mount share its answer
  buildPlan(spec, 'c0ffee', paths);
  expect(detectHost).toHaveBeenCalledTimes(2); // nothing kept between plans: a layout that changed is seen
});
