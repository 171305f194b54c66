import { request } from 'node:http';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { joinParts } from '../../core';
import type { Lab, LabRun } from '../lab';
import { labDir, observeNamespaces, ownNamespace, scratchDir } from '../common';
import { inNamespaces, sleep } from '../observe';
import { calls, failedCall, show } from '../trace';

/** GET http://address:port/ with a short timeout: the body, or undefined when nothing answers. */
function get(address: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = request({ host: address, port, path: '/', timeout: 1500 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => resolve(body));
    });
    req.on('timeout', () => req.destroy()).on('error', () => resolve(undefined)).end();
  });
}

async function getWithRetry(address: string, port: number): Promise<string | undefined> {
  for (let i = 0; i < 4; i++) {
    const body = await get(address, port);
    if (body !== undefined) return body;
    await sleep(200);
  }
  return undefined;
}

/** The DNAT rules in nat OUTPUT tagged with this run's comment, as -S prints them. */
function taggedRules(tag: string): string[] {
  const out = spawnSync('iptables', ['-w', '-t', 'nat', '-S', 'OUTPUT'], { encoding: 'utf8' }).stdout ?? '';
  return out.split('\n').filter((l) => l.includes(tag));
}

function ipCommandFailure(run: LabRun): string | undefined {
  const failed = run.trace.find((e) => e.command && e.errno !== null && ['ip', 'nsenter', 'iptables'].includes(e.syscall) && !e.why?.startsWith('undo:'));
  return failed && `\`${failed.syscall} ${failed.args.join(' ')}\` failed: ${failed.errnoMessage ?? ''}`;
}

const lab: Lab = {
  id: 'net',
  order: 70,
  title: 'Networking: a veth pair, addresses, a route, and a DNAT rule (-p)',
  chapter: 'net',
  withoutRoot: { needsRoot: "the veth pair, the kit0 bridge and the DNAT rule change the host's own network, which only root may change" },
  command: (given) => ['/bin/busybox', 'httpd', '-f', '-p', '80', '-h', String(given.www)],
  setup: (id, paths) => {
    const a = parseInt(id.slice(0, 2), 16);
    const b = parseInt(id.slice(2, 4), 16) & 0xfc;
    const dir = labDir(paths, id);
    const given = {
      hostInterface: `kit${id.slice(0, 8)}h`,
      containerInterface: `kit${id.slice(0, 8)}c`,
      hostAddress: `10.199.${a}.${b + 1}`,
      containerAddress: `10.199.${a}.${b + 2}`,
      prefix: 30,
      port: 20000 + (parseInt(id.slice(4, 8), 16) % 20000),
      tag: `kit-lab-${id}`,
      www: `${dir}/www`,
    };
    const page = {
      prepare: [{ why: 'a page for the server inside to answer with', run: () => writeFileSync(`${given.www}/index.html`, `${given.tag}\n`) }],
    };
    return { given, part: joinParts(scratchDir(dir, 'a scratch dir for this lab'), scratchDir(given.www, 'the pages'), page) };
  },
  observe: async (pid, given) => {
    const tag = String(given.tag);
    const rules = taggedRules(tag);
    return {
      ...observeNamespaces(pid, ['net']),
      containerAddresses: inNamespaces(pid, ['-n'], ['ip', '-o', '-4', 'addr', 'show'])?.match(/inet [0-9.]+/g)?.map((s) => s.slice(5)) ?? [],
      direct: (await getWithRetry(String(given.containerAddress), 80))?.trim(),
      rules,
      dnatTo: rules.map((r) => r.match(/--to-destination (\S+)/)?.[1]).find(Boolean),
      published: (await getWithRetry(String(given.hostAddress), Number(given.port)))?.trim(),
    };
  },
  hints: [
    'A network namespace of its own: `cloneFlags: CLONE.NEWNET`. It starts with only a loopback, down.',
    "In an `attach` step (ctx.pid is set), make a veth pair and move one end in: checkCommand(ctx.trace, why, ['ip', 'link', 'add', given.hostInterface, 'type', 'veth', 'peer', 'name', given.containerInterface]) journaled with { op: 'link-delete', name: given.hostInterface }, then ['ip', 'link', 'set', given.containerInterface, 'netns', String(ctx.pid)].",
    "Addresses and links up: on the host `ip addr add <hostAddress>/30 dev <hostInterface>` and `ip link set ... up`; inside, the same through `nsenter -t <pid> -n ip ...` for containerAddress, the link, lo, and a default route via hostAddress.",
    "Publish the port: a DNAT rule in nat OUTPUT, journaled ({ op: 'iptables-delete', table: 'nat', chain: 'OUTPUT', spec }): spec = ['-d', hostAddress, '-p', 'tcp', '--dport', String(port), '-m', 'comment', '--comment', given.tag, '-j', 'DNAT', '--to-destination', `${containerAddress}:80`].",
  ],
  cleanHint: 1,
  timeoutSeconds: 40,
  checks: [
    ownNamespace('net', 'CLONE_NEWNET', 0),
    {
      name: 'inside, its end of the veth has given.containerAddress',
      pass: (run) => (run.seen.containerAddresses as string[] | undefined)?.includes(String(run.given.containerAddress)) === true,
      diagnose: (run) => ipCommandFailure(run) ?? (calls(run.trace, 'ip').length ? `inside, the addresses are: ${(run.seen.containerAddresses as string[]).join(', ') || 'none'}` : 'no `ip` command in the trace: nothing made the veth pair'),
      hint: 1,
    },
    {
      name: 'the host reaches the server inside at containerAddress:80',
      pass: (run) => run.seen.direct === run.given.tag,
      diagnose: (run) => ipCommandFailure(run) ?? 'no answer from containerAddress:80: is the host end addressed and up, and the container end up?',
      hint: 2,
    },
    {
      name: 'a DNAT rule for given.port exists in nat OUTPUT while it runs',
      pass: (run) => (run.seen.rules as string[] | undefined)?.some((r) => r.includes('DNAT')) === true,
      diagnose: (run) => {
        const failed = failedCall(run.trace, 'iptables');
        return failed ? `${show(failed)}` : 'no rule tagged with given.tag in `iptables -t nat -S OUTPUT`';
      },
      hint: 3,
    },
    {
      name: 'the published port (hostAddress:port) answers, from the container',
      pass: (run) => run.seen.published === run.given.tag,
      diagnose: (run) =>
        run.seen.dnatTo !== `${String(run.given.containerAddress)}:80`
          ? `the DNAT rule sends port ${String(run.given.port)} to ${String(run.seen.dnatTo)}, but the container's address is ${String(run.given.containerAddress)}:80`
          : 'nothing answered on the published port',
      hint: 3,
    },
  ],
};

export default lab;
