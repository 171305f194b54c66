import type { ProcessNode, TimedRecord } from '../../../core';
import { escape } from './escape';

type TreeRecord = Extract<TimedRecord, { type: 'tree' }>;

/** A command line is cut here on the page (the whole one is its tooltip). */
const CMD_SHOWN = 100;

/**
 * The host's process tree as the run left it: the chain from PID 1 to kit,
 * then the container's processes inside a box, the namespace boundary, that
 * names the namespaces they do not share with the host. A process inside
 * shows both of its PIDs: the host's and its own in the container.
 */
export function processTree(record?: TreeRecord): string {
  if (!record) return '';
  const inside = record.nodes.filter((n) => isInside(n, record.containerPid, record.nodes));
  const outside = record.nodes.filter((n) => !inside.includes(n));
  const depth = new Map<number, number>();
  const row = (n: ProcessNode) => {
    const d = (depth.get(n.ppid) ?? -1) + 1;
    depth.set(n.pid, d);
    const pids = n.nspid.length > 1 ? `${n.nspid[0]} <span class="nspid">(PID ${n.nspid[n.nspid.length - 1]} inside)</span>` : String(n.pid);
    return `<div class="process" style="margin-left:${d * 1.5}em" data-pid="${n.pid}"><span class="pid">${pids}</span> <code title="${escape(n.cmd)}">${escape(n.cmd.length > CMD_SHOWN ? `${n.cmd.slice(0, CMD_SHOWN - 1)}…` : n.cmd)}</code></div>`;
  };
  const host = outside.map(row).join('');
  const namespaces = inside[0]?.namespaces ?? [];
  const boundary = inside.length
    ? `<div class="ns-boundary" data-namespaces="${escape(namespaces.join(' '))}"><div class="ns-label">${namespaces.length ? `the container: its own ${escape(namespaces.join(', '))} namespaces` : 'the container: no namespace of its own (it shares the host\'s)'}</div>${inside.map(row).join('')}</div>`
    : '';
  return `<section id="processes"><h2>The host's process tree</h2><p class="meta">Taken from /proc while the container ran (${inside.some((n) => n.cmd.startsWith('kit-init')) ? 'before kit-init exec\'d the command' : 'its command running'}).</p>${host}${boundary}</section>`;
}

function isInside(node: ProcessNode, containerPid: number, nodes: ProcessNode[]): boolean {
  for (let n: ProcessNode | undefined = node; n; n = nodes.find((p) => p.pid === n!.ppid)) if (n.pid === containerPid) return true;
  return false;
}
