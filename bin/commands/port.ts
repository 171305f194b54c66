import { Args } from '@oclif/core';
import { findAnyContainer, kitPaths } from '../../core';
import { KitCommand } from '../base';

export default class PortCommand extends KitCommand {
  static summary = "List a container's published ports (kit run -p), or the host port of one.";
  static description = `Like docker port: one line per -p mapping, "80/tcp -> 0.0.0.0:8080" (each is a DNAT rule in the KIT nat chain while the container runs). With a port (80 or 80/udp), only where that one is published.`;
  static examples = ['sudo <%= config.bin %> port web', 'sudo <%= config.bin %> port web 80/tcp'];
  static enableJsonFlag = true;
  static args = {
    container: Args.string({ required: true, description: 'name, id or unique id prefix' }),
    port: Args.string({ description: 'a container port, e.g. 80 or 53/udp' }),
  };

  async run(): Promise<unknown> {
    const { args } = await this.parse(PortCommand);
    const c = findAnyContainer(kitPaths(), args.container);
    const spec = c.running?.spec ?? c.record!.spec;
    const [wantPort, wantProto] = (args.port ?? '').split('/');
    const ports = (spec.ports ?? [])
      .filter((p) => !args.port || (String(p.containerPort) === wantPort && p.protocol === (wantProto || 'tcp')))
      .map((p) => ({ container: `${p.containerPort}/${p.protocol}`, host: `${p.hostIp ?? '0.0.0.0'}:${p.hostPort}` }));
    if (!this.jsonEnabled()) for (const p of ports) this.log(args.port ? p.host : `${p.container} -> ${p.host}`);
    return ports;
  }
}
