import { Flags } from '@oclif/core';
import { KitError, kitPaths, listContainers, type ContainerInfo } from '../../core';
import { KitCommand } from '../base';
import { psFields, renderPs } from '../render/ps';
import { checkTemplate, renderTemplate } from '../render/template';

export default class PsCommand extends KitCommand {
  static summary = 'List containers: the running ones, or all with -a.';
  static description = `Like docker ps: id, image, command, age, status ("Up 5 seconds", "Exited (0) 3 seconds ago"), the container's PID on the host and its name. A container is kept after it exits, with its exit code, logs and layer, until kit rm (not one run with --rm, nor a plain foreground kit run without --name: those are removed when they end). --json adds each container's state directory, start and finish times, OOMKilled and the pid of its owner (the shim of a detached one).`;
  static examples = [
    'sudo <%= config.bin %> ps',
    'sudo <%= config.bin %> ps -a --filter status=exited',
    'sudo <%= config.bin %> ps -aq',
    'sudo <%= config.bin %> ps --format "{{.Names}}\\t{{.Status}}"',
    'sudo <%= config.bin %> ps --json',
  ];
  static enableJsonFlag = true;
  static flags = {
    all: Flags.boolean({ char: 'a', default: false, description: 'also the containers that are not running (docker ps -a)' }),
    quiet: Flags.boolean({ char: 'q', default: false, description: 'only the ids, one per line' }),
    filter: Flags.string({
      multiple: true,
      helpValue: 'status=exited|name=NAME|id=ID|exited=CODE|ancestor=IMAGE|label=KEY[=VALUE]',
      description: 'only the containers that match (several --filter: all must match, as Docker ANDs different keys)',
    }),
    format: Flags.string({ helpValue: '"{{.ID}} {{.Status}}"|json', description: 'a Go template over ID, Image, Command, CreatedAt, RunningFor, Status, State, Names, Pid, ExitCode; or json, one object per line' }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(PsCommand);
    const filters = (flags.filter ?? []).map(parseFilter);
    // A status other than running asks for stopped containers: Docker implies -a then.
    const all = flags.all || filters.some((f) => f.key === 'status' && f.value !== 'running') || filters.some((f) => f.key === 'exited');
    const containers = listContainers(kitPaths(), { all }).filter((c) => filters.every((f) => matches(c, f)));
    if (this.jsonEnabled()) return containers;
    if (flags.quiet) {
      for (const c of containers) this.log(c.id);
    } else if (flags.format === 'json') {
      for (const c of containers) this.log(JSON.stringify(psFields(c)));
    } else if (flags.format !== undefined) {
      const template = flags.format.replace(/^table\s+/, '');
      checkTemplate(template, psFields(sample));
      for (const c of containers) this.log(renderTemplate(template, psFields(c)));
    } else {
      this.log(renderPs(containers));
    }
    return containers;
  }
}

interface Filter {
  key: 'status' | 'name' | 'id' | 'exited' | 'ancestor' | 'label';
  value: string;
}

const STATUSES = ['created', 'running', 'paused', 'exited'];

function parseFilter(text: string): Filter {
  const [key, ...rest] = text.split('=');
  const value = rest.join('=');
  if (!['status', 'name', 'id', 'exited', 'ancestor', 'label'].includes(key) || value === '') {
    throw new KitError(`bad --filter '${text}'`, 'use status=created|running|paused|exited, name=NAME, id=ID, exited=CODE, ancestor=IMAGE or label=KEY[=VALUE]');
  }
  if (key === 'status' && !STATUSES.includes(value)) throw new KitError(`bad --filter '${text}': no status '${value}'`, `statuses: ${STATUSES.join(', ')}`);
  if (key === 'exited' && !/^\d+$/.test(value)) throw new KitError(`bad --filter '${text}': the exit code is a number`, 'e.g. --filter exited=0');
  return { key: key as Filter['key'], value };
}

/** As Docker matches: name and id by substring / prefix, the others exactly. */
function matches(c: ContainerInfo, f: Filter): boolean {
  if (f.key === 'status') return c.state === f.value;
  if (f.key === 'name') return c.name.includes(f.value);
  if (f.key === 'id') return c.id.startsWith(f.value);
  if (f.key === 'ancestor') return c.image === f.value;
  if (f.key === 'label') return hasLabel(c.labels, f.value);
  return c.state === 'exited' && c.exitCode === Number(f.value);
}

/** label=KEY: the container has that label; label=KEY=VALUE: with that value (Docker's two forms). */
function hasLabel(labels: Record<string, string>, wanted: string): boolean {
  const eq = wanted.indexOf('=');
  if (eq === -1) return wanted in labels;
  return labels[wanted.slice(0, eq)] === wanted.slice(eq + 1);
}

const sample: ContainerInfo = {
  id: '',
  name: '',
  image: null,
  command: [],
  createdAt: new Date(0).toISOString(),
  state: 'created',
  pid: null,
  ownerPid: null,
  startedAt: null,
  finishedAt: null,
  exitCode: null,
  oomKilled: false,
  restartCount: 0,
  autoRemove: false,
  labels: {},
  ports: [],
  stateDir: '',
};
