import type { ProbeResult } from '../../../core';
import { escape } from './escape';

/**
 * The network a bridge-mode container got, drawn from the host's views taken
 * while it ran: the host and its published port, the DNAT rule, the kit0
 * bridge and its address, the veth pair, the container's eth0 and address.
 * Nothing is drawn for a run that had none of it.
 */
export function networkPicture(probes: ProbeResult[]): string {
  const text = (id: string) => probes.find((p) => p.probe === id)?.text ?? '';
  const bridge = /^kit0\s+\S+\s+([\d.]+\/\d+)/m.exec(text('bridge-links'))?.[1];
  const veth = /(kitv\w+)/.exec(text('bridge-links'))?.[1];
  const eth0 = /inet ([\d.]+\/\d+) .*eth0/.exec(text('container-network'))?.[1];
  const dnat = /^-A KIT .*--dport (\d+) .*--to-destination ([\d.]+:\d+).*$/m.exec(text('nat-rules'));
  if (!bridge && !eth0) return '';
  const box = (x: number, y: number, w: number, cls: string, lines: string[]) =>
    `<g class="box ${cls}"><rect x="${x}" y="${y}" width="${w}" height="${18 + lines.length * 18}" rx="6"/>${lines.map((l, i) => `<text x="${x + 10}" y="${y + 22 + i * 18}">${escape(l)}</text>`).join('')}</g>`;
  const svg = [
    `<rect class="netns host-ns" x="10" y="10" width="560" height="220" rx="10"/><text class="ns-title" x="20" y="30">host network namespace</text>`,
    `<rect class="netns ctr-ns" x="600" y="10" width="250" height="220" rx="10"/><text class="ns-title" x="610" y="30">container network namespace</text>`,
    box(30, 50, 220, 'port', [dnat ? `127.0.0.1:${dnat[1]} (published)` : 'no published port']),
    box(30, 140, 220, 'bridge', ['kit0 bridge', bridge ?? '?']),
    box(330, 140, 200, 'veth', [veth ?? 'kitv…', 'veth, host end']),
    box(640, 140, 190, 'eth0', ['eth0 (the other end)', eth0 ?? '?']),
    `<line class="wire" x1="250" y1="165" x2="330" y2="165"/><line class="wire veth-pair" x1="530" y1="165" x2="640" y2="165"/>`,
    dnat ? `<path class="dnat" d="M250 70 C 450 70, 600 90, 700 140"/><text class="dnat-label" x="270" y="62">DNAT: dport ${escape(dnat[1])} → ${escape(dnat[2])}</text>` : '',
  ];
  return `<section id="network"><h2>The network</h2>${dnat ? `<p><code>${escape(dnat[0])}</code></p>` : ''}<svg class="network" xmlns="http://www.w3.org/2000/svg" width="870" height="250" viewBox="0 0 870 250">${svg.join('')}</svg></section>`;
}
