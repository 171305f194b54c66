import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tempKitRoot } from '../support/kit';

const kr = tempKitRoot();
afterAll(() => kr.cleanup());

const BIN = join(__dirname, '..', '..', 'bin', 'run.js');

/**
 * In a network namespace, a /run/kit-net and a /sys of its own (a fresh host network:
 * no other test's kit0 or leases), `kit chapter net` makes kit0, the KIT chain
 * and the shared rules, and leaves that network as it found it.
 */
test('kit chapter net on a host without kit0 leaves no kit0, no KIT chain, no kit rule', () => {
  const script = [
    'set -e',
    'mount -t tmpfs kit-test-net /run/kit-net',
    // sysfs shows the network namespace of whoever mounted it: a fresh one for
    // this namespace (so /sys/class/net is its own, not the host's kit0), with
    // the host's cgroup trees carried over.
    'cgroups=$(mktemp -d /tmp/kit-test-cgroups-XXXXXX)',
    'mount --rbind /sys/fs/cgroup "$cgroups"',
    'mount -t sysfs kit-test-sys /sys',
    'mount --rbind "$cgroups" /sys/fs/cgroup',
    'umount -l "$cgroups"; rmdir "$cgroups"',
    'ip link set lo up',
    `"${process.execPath}" "${BIN}" chapter net --width 80 >/dev/null`,
    'echo "links: $(ip -o link show | grep -c kit || true)"',
    'echo "rules: $(iptables-save | grep -c -e kit -e KIT || true)"',
  ].join('\n');
  const r = spawnSync('unshare', ['--mount', '--net', '--propagation', 'private', 'sh', '-c', script], { env: kr.env, encoding: 'utf8', timeout: 120_000 });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout).toBe('links: 0\nrules: 0\n');
});
