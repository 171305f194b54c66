import { existsSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, posix, resolve } from 'node:path';
import { withHostChanges } from '../engine/session';
import { BASE_IMAGE, type Progress as BaseImageProgress } from '../image/base/build';
import { ensureImage } from '../image/ensure';
import { KitError } from '../errors';
import { readRegularFile } from '../host/regular-file';
import { ImageStore, validateName, type Image } from '../image/store';
import type { KitPaths } from '../paths';
import { DEFAULT_PATH } from '../spec';
import { storeLayer, type StoredLayer } from '../storage/containers';
import type { TraceEvent } from '../trace/event';
import { copyLayer, copyOne, noWhiteouts } from '../storage/tree';
import { commandOf, envOf, parseKitfile, type Instruction } from './kitfile';
import { runStep } from './run-step';

export interface BuildOptions {
  paths: KitPaths;
  name: string;
  kitfile: string;
  context: string;
  driver?: string;
  /** "Step 2/4 : COPY . /app", and what RUN printed. */
  onProgress?: (text: string) => void;
  /** The base image's first build, one line per step (FROM base); nothing is told without it. */
  imageProgress?: BaseImageProgress;
  /** Each syscall of the RUN steps' containers (kit build --trace). */
  onEvent?: (event: TraceEvent) => void;
}

/** The image being built, and where errors point. */
interface Build {
  image: Image;
  store: ImageStore;
  options: BuildOptions;
  context: string;
  file: string;
  /** Layers this build put in the store: removed again if it fails. */
  added: string[];
}

/**
 * `kit build`: each instruction in turn, on top of what the ones before
 * made. FROM starts from an image's layers; COPY and RUN each add one layer
 * (RUN: the container layer of a container run on the image so far); ENV,
 * WORKDIR and CMD change only the config, as a history entry with no layer.
 * The image is saved only when every step succeeded.
 */
export async function buildImage(options: BuildOptions): Promise<Image> {
  validateName(options.name);
  const file = basename(options.kitfile);
  if (!existsSync(options.kitfile)) throw new KitError(`no Kitfile at ${options.kitfile}`, 'give its path with -f');
  const source = readRegularFile(options.kitfile, { what: `the Kitfile ${options.kitfile}`, maxBytes: MAX_KITFILE_BYTES, limitText: 'a Kitfile (1 MiB at most)', fix: 'give a text file of instructions with -f' });
  if (!existsSync(options.context) || !statSync(options.context).isDirectory()) {
    throw new KitError(`the build context ${options.context} is not a directory`, 'give a directory as the last argument (`.` for this one)');
  }
  const instructions = parseKitfile(source, file);
  const store = new ImageStore(options.paths);
  const build: Build = { image: emptyImage(options.name), store, options, context: realpathSync(options.context), file, added: [] };
  // Like docker build, the name is replaced if it exists; two builds (or an import) racing for it: one gets an error.
  const release = store.claim(options.name);
  try {
    for (const [index, instruction] of instructions.entries()) {
      options.onProgress?.(`Step ${index + 1}/${instructions.length} : ${instruction.text}\n`);
      await STEPS[instruction.keyword](build, instruction);
    }
    build.image.created = new Date().toISOString();
    store.save(build.image);
    return build.image;
  } catch (err) {
    for (const digest of build.added) if (!store.list().some((i) => i.layers.includes(digest))) store.removeLayer(digest);
    throw err;
  } finally {
    release();
  }
}

type Step = (build: Build, instruction: Instruction) => Promise<void>;

/** A Kitfile is a few lines; a bigger file is not one (and is never read whole). */
const MAX_KITFILE_BYTES = 1024 * 1024;

const STEPS: Record<Instruction['keyword'], Step> = {
  async FROM(build, { args, line }) {
    if (args === BASE_IMAGE) await ensureImage(build.options.paths, args, build.options.imageProgress); // built on first use, as for kit run
    if (!build.store.has(args)) throw new KitError(`${build.file} line ${line}: FROM ${args}: no image '${args}'`, `available images: ${build.store.list().map((i) => i.name).join(', ') || 'none'}`);
    const base = build.store.get(args);
    build.image = { ...base, name: build.options.name, config: { ...base.config }, history: [...base.history] };
  },
  async COPY(build, instruction) {
    const [dest, ...sources] = instruction.args.split(/\s+/).reverse();
    if (sources.length === 0) throw new KitError(`${build.file} line ${instruction.line}: COPY needs a source and a destination`, 'e.g. `COPY . /app`');
    const files = sources.reverse().map((src) => insideContext(build, instruction, src));
    const target = posix.resolve(build.image.config.WorkingDir ?? '/', dest);
    const stored = await storeLayer(build.options.paths, build.store, instruction.text, (stage) => {
      for (const from of files) copyFromContext(from, stage, target, dest.endsWith('/') || files.length > 1);
    });
    addLayer(build, instruction, stored);
  },
  async RUN(build, instruction) {
    const { options, image } = build;
    const stored = await withHostChanges(
      'kit-build',
      async (ctx) => {
        const { run, layer } = await runStep(ctx, image, { script: instruction.args, createdBy: instruction.text, driver: options.driver, onEvent: options.onEvent });
        options.onProgress?.(run.stdout + run.stderr);
        if (run.exitCode !== 0) {
          const how = run.exitCode === null ? `was killed by ${run.signal}` : `exited with code ${run.exitCode}`;
          throw new KitError(`${build.file} line ${instruction.line}: RUN ${instruction.args} ${how}`, lastLine(run.stderr) ?? 'fix the command and build again', run.exitCode || 1);
        }
        return layer;
      },
      { paths: options.paths },
    );
    addLayer(build, instruction, stored);
  },
  async CMD(build, instruction) {
    build.image.config.Cmd = commandOf(instruction.args);
    configOnly(build, instruction);
  },
  async ENV(build, instruction) {
    const set = envOf(instruction.args);
    const names = new Set(set.map((e) => e.split('=')[0]));
    const kept = (build.image.config.Env ?? [DEFAULT_PATH]).filter((e) => !names.has(e.split('=')[0]));
    build.image.config.Env = [...kept, ...set];
    configOnly(build, instruction);
  },
  async WORKDIR(build, instruction) {
    build.image.config.WorkingDir = posix.resolve(build.image.config.WorkingDir ?? '/', instruction.args);
    configOnly(build, instruction);
  },
  /** EXPOSE 80 53/udp: documentation in the config, which `kit run -P` publishes. */
  async EXPOSE(build, instruction) {
    const ports = instruction.args.split(/\s+/).filter(Boolean).map((word) => {
      const m = /^(\d{1,5})(?:\/(tcp|udp))?$/i.exec(word);
      if (!m || Number(m[1]) < 1 || Number(m[1]) > 65535) throw new KitError(`${build.file} line ${instruction.line}: EXPOSE ${word} is not PORT[/tcp|udp]`, 'e.g. EXPOSE 80 or EXPOSE 53/udp');
      return `${Number(m[1])}/${(m[2] ?? 'tcp').toLowerCase()}`;
    });
    if (ports.length === 0) throw new KitError(`${build.file} line ${instruction.line}: EXPOSE needs a port`, 'e.g. EXPOSE 80');
    build.image.config.ExposedPorts = [...new Set([...(build.image.config.ExposedPorts ?? []), ...ports])];
    configOnly(build, instruction);
  },
};

function emptyImage(name: string): Image {
  return { name, layers: [], config: {}, created: '', history: [] };
}

function addLayer(build: Build, instruction: Instruction, stored: StoredLayer | undefined): void {
  if (!stored) return configOnly(build, instruction);
  if (stored.isNew) build.added.push(stored.digest);
  build.image.layers = [...build.image.layers, stored.digest];
  build.image.history = [...build.image.history, { createdBy: instruction.text }];
}

function configOnly(build: Build, instruction: Instruction): void {
  build.image.history = [...build.image.history, { createdBy: instruction.text, emptyLayer: true }];
}

/** A COPY source, resolved (symlinks too) and checked to stay in the context. */
function insideContext(build: Build, instruction: Instruction, src: string): string {
  const where = `${build.file} line ${instruction.line}: COPY ${src}`;
  const outside = (path: string) =>
    new KitError(`${where}: ${path} is outside the build context ${build.context}`, 'COPY reads only files under the context dir (the last argument of `kit build`)');
  const path = resolve(build.context, src);
  if (!within(build.context, path)) throw outside(path);
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    throw new KitError(`${where}: no such file in the build context ${build.context}`);
  }
  if (!within(build.context, real)) throw outside(real); // through a symlink
  return real;
}

function within(dir: string, path: string): boolean {
  return path === dir || path.startsWith(dir + '/');
}

/** A directory's contents go into the target; a file becomes it, or goes inside it. */
function copyFromContext(from: string, stage: string, target: string, intoDir: boolean): void {
  if (statSync(from).isDirectory()) {
    mkdirSync(join(stage, target), { recursive: true });
    copyLayer(from, join(stage, target), noWhiteouts);
    return;
  }
  const dest = intoDir ? join(target, basename(from)) : target;
  mkdirSync(join(stage, dirname(dest)), { recursive: true });
  copyOne(from, join(stage, dest));
}

function lastLine(text: string): string | undefined {
  return text.trim().split('\n').pop() || undefined;
}
