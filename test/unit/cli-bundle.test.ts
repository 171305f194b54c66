import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The CLI is one bundled file, dist/kit.js (bin/bundle.js), which bin/run.js
 * loads with V8's code cache (dist/kit.js.cache.COMMAND).
 */
const repo = join(__dirname, '..', '..');
const home = mkdtempSync(join(tmpdir(), 'kit-bundle-home-'));
const env = { ...process.env, HOME: home, KIT_LABS_HOME: home, NO_COLOR: '1', FORCE_COLOR: '0' };
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** The files a kit command loaded (require.cache at its exit). */
function loadedBy(args: string[]): string[] {
  const bin = join(repo, 'bin', 'run.js');
  const script = `process.argv.splice(1, Infinity, ${JSON.stringify(bin)}, ...${JSON.stringify(args)});
    process.on('exit', () => process.stderr.write('\\nLOADED ' + JSON.stringify(Object.keys(require.cache)) + '\\n'));
    require(${JSON.stringify(bin)});`;
  const r = spawnSync(process.execPath, ['-e', script], { env, encoding: 'utf8' });
  expect(r.status).toBe(0);
  return JSON.parse(/^LOADED (.*)$/m.exec(r.stderr)![1]) as string[];
}

test('a command loads kit from the one bundle: no other file of dist/, no package of node_modules', () => {
  const commands = [['chapter'], ['lab'], ['replay', join(repo, 'examples', 'uts.kitrec'), '--instant'], ['runtime', 'path'], ['image', 'ls', '--help']];
  for (const args of commands) {
    const loaded = loadedBy(args).filter((f) => f !== join(repo, 'package.json') && f !== join(repo, 'native-rs', 'kit.node'));
    expect({ args, loaded }).toEqual({ args, loaded: [join(repo, 'bin', 'run.js'), join(repo, 'bin', 'load-bundle.js'), join(repo, 'dist', 'kit.js')] });
  }
});

describe('the code cache', () => {
  // A copy of the installed CLI: its dist/ and its caches are this test's own.
  const copy = mkdtempSync(join(tmpdir(), 'kit-bundle-'));
  mkdirSync(join(copy, 'dist'));
  for (const part of ['bin', 'package.json', 'oclif.manifest.json', join('dist', 'kit.js'), join('dist', 'bin', 'commands')]) cpSync(join(repo, part), join(copy, part), { recursive: true });
  symlinkSync(join(repo, 'node_modules'), join(copy, 'node_modules'));
  chmodSync(copy, 0o755);
  afterAll(() => rmSync(copy, { recursive: true, force: true }));
  const cache = join(copy, 'dist', 'kit.js.cache.lab');
  const kit = (args: string[], prefix: string[] = []) => {
    const argv = [...prefix, process.execPath, join(copy, 'bin', 'run.js'), ...args];
    return spawnSync(argv[0], argv.slice(1), { env, encoding: 'utf8' });
  };
  const caches = () => readdirSync(join(copy, 'dist')).filter((f) => f.startsWith('kit.js.cache')).sort();

  test('the first run of a command writes its cache, named for the bundle; later runs print the same', () => {
    const first = kit(['lab']);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/pid/);
    const { size, mtimeMs } = statSync(join(copy, 'dist', 'kit.js'));
    expect(readFileSync(cache).subarray(0, 200).toString('latin1').split('\n')[0]).toBe(`kit-code-cache ${size} ${mtimeMs} ${process.version} ${process.arch}`);
    const second = kit(['lab']);
    expect(second.status).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(caches()).toEqual(['kit.js.cache.lab']);
  });

  test('a cache of another bundle, or one V8 refuses, is not used, and is written again', () => {
    const expected = kit(['lab']).stdout;
    const { size, mtimeMs } = statSync(join(copy, 'dist', 'kit.js'));
    for (const header of [`kit-code-cache ${size + 1} ${mtimeMs} ${process.version} ${process.arch}\n`, `kit-code-cache ${size} ${mtimeMs} ${process.version} ${process.arch}\n`]) {
      writeFileSync(cache, Buffer.concat([Buffer.from(header), Buffer.alloc(4096, 7)]));
      const r = kit(['lab']);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(expected);
      expect(statSync(cache).size).toBeGreaterThan(100000);
    }
  });

  test('a failed command writes no cache; a user who may not write dist/ runs without one', () => {
    expect(kit(['nosuchcommand']).status).not.toBe(0);
    expect(kit(['lab', 'nosuchlab']).status).not.toBe(0);
    expect(caches()).toEqual(['kit.js.cache.lab']);
    if (process.getuid?.() !== 0) return; // the rest needs another user
    const asNobody = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];
    const r = kit(['chapter'], asNobody);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/uts/);
    expect(caches()).toEqual(['kit.js.cache.lab']);
    expect(existsSync(join(copy, 'dist', 'kit.js.cache.chapter'))).toBe(false);
  });

  test("a topic's commands keep a cache each: kit image ls compiles none of kit image import's code", () => {
    for (const args of [['image', 'ls', '--help'], ['image', 'import', '--help'], ['image', '--help']]) expect(kit(args).status).toBe(0);
    expect(caches().filter((f) => f.startsWith('kit.js.cache.image'))).toEqual(['kit.js.cache.image', 'kit.js.cache.image-import', 'kit.js.cache.image-ls']);
  });

  test('--trace has a cache of its own, so a run without it does not leave the renderer out of the traced run\'s', () => {
    // V8's cache holds the functions its writer called; a run without --trace renders no trace.
    const recording = join(repo, 'examples', 'uts.kitrec');
    const plain = kit(['replay', recording, '--instant', '--no-trace']);
    expect(plain.status).toBe(0);
    const plainCache = statSync(join(copy, 'dist', 'kit.js.cache.replay'));
    const traced = kit(['replay', recording, '--instant', '--trace']);
    expect(traced.status).toBe(0);
    expect(caches().filter((f) => f.startsWith('kit.js.cache.replay'))).toEqual(['kit.js.cache.replay', 'kit.js.cache.replay-trace']);
    expect(statSync(join(copy, 'dist', 'kit.js.cache.replay')).mtimeMs).toBe(plainCache.mtimeMs);
    // Each run with its cache prints what the first printed.
    expect(kit(['replay', recording, '--instant', '--trace']).stdout).toBe(traced.stdout);
    expect(kit(['replay', recording, '--instant', '--no-trace']).stdout).toBe(plain.stdout);
    expect(traced.stdout).not.toBe(plain.stdout);
  });
});

test('kit before `npm run build`: one line naming the missing bundle and the fix, exit 1', () => {
  const copy = mkdtempSync(join(tmpdir(), 'kit-unbuilt-'));
  try {
    cpSync(join(repo, 'bin'), join(copy, 'bin'), { recursive: true });
    cpSync(join(repo, 'package.json'), join(copy, 'package.json'));
    const r = spawnSync(process.execPath, [join(copy, 'bin', 'run.js'), 'ps'], { env, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`kit: ${join(copy, 'dist', 'kit.js')} is missing: kit is not built; run \`npm run build\` in ${copy}\n`);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});

test("oclif's command list is sorted without ICU's collator (bin/bundle.js), in the order localeCompare gave", () => {
  const bundle = readFileSync(join(repo, 'dist', 'kit.js'), 'utf8');
  expect(bundle).not.toContain('a.id.localeCompare(b.id)');
  expect(bundle).toContain('.sort((a, b) => a.id < b.id ? -1 : a.id > b.id ? 1 : 0);');
  // the premise of that edit, for every command kit has: code-unit order is ICU's order
  const ids = Object.keys((JSON.parse(readFileSync(join(repo, 'oclif.manifest.json'), 'utf8')) as { commands: object }).commands);
  expect(ids.length).toBeGreaterThan(40);
  expect([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual([...ids].sort((a, b) => a.localeCompare(b)));
});

test("a Node older than package.json's engines gets oclif's warning, from bin/run.js, without oclif's semver check", () => {
  expect(readFileSync(join(repo, 'dist', 'kit.js'), 'utf8')).not.toContain('    checkNodeVersion();\n');
  const bin = join(repo, 'bin', 'run.js');
  const withNode = (version: string) => {
    const script = `Object.defineProperty(process, 'versions', { value: { ...process.versions, node: ${JSON.stringify(version)} } });
      process.argv.splice(1, Infinity, ${JSON.stringify(bin)}, 'ps', '--help');
      require(${JSON.stringify(bin)});`;
    return spawnSync(process.execPath, ['-e', script], { env, encoding: 'utf8' });
  };
  const old = withNode('18.19.0');
  expect(old.status).toBe(0);
  expect(old.stderr.match(/Warning: Node version must be >=20 to use this CLI\. Current node version: 18\.19\.0/g)).toHaveLength(1);
  expect(withNode('20.20.2').stderr).not.toMatch(/Node version must be/);
});

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { lazyReexports, asciiOnly } = require(join(repo, 'bin', 'bundle.js')) as { lazyReexports: (text: string, file: string) => string; asciiOnly: (text: string) => string };

test('the bundle is ASCII (Node reads it into a one-byte string); what esbuild left unescaped means the same escaped', () => {
  expect(readFileSync(join(repo, 'dist', 'kit.js')).every((byte) => byte < 0x80)).toBe(true);
  const [mu, check, csi, ellipsis, smile] = ['\u00b5', '\u2713', '\u009b', '\u2026', '\u{1F600}'];
  // what esbuild leaves: characters in comments and regular expressions (with and without the u flag, astral too)
  const source = `/* kit-${ellipsis} */ [/^(ns|${mu}s)$/.test('${mu}s'), /^[${csi}${check}]$/u.test('${check}'), /^${smile}$/u.test('${smile}'), /^${smile}$/.test('${smile}'), /^${mu}$/.test('u00b5')]`;
  const escaped = asciiOnly(source);
  expect(escaped).toMatch(/^[\x00-\x7f]*$/);
  expect(new Function(`return ${escaped}`)()).toEqual(new Function(`return ${source}`)());
  expect(new Function(`return ${escaped}`)()).toEqual([true, true, true, true, false]);
  expect(() => asciiOnly(`/\\${mu}/`)).toThrow(/escapes a non-ASCII character with a backslash/);
});

describe("core's entry point in the bundle: each module it re-exports loads at its first use (bin/bundle.js)", () => {
  const indexFile = join(repo, 'dist', 'core', 'index.js');

  /** dist/core/index.js as the bundle has it, run with a require that records what it loads (and loads core's real modules). */
  function lazyIndex() {
    const loaded: string[] = [];
    const exports: Record<string, unknown> = {};
    const requireFrom = (request: string) => {
      loaded.push(request);
      return require(join(repo, 'dist', 'core', request)) as unknown;
    };
    new Function('exports', 'require', lazyReexports(readFileSync(indexFile, 'utf8'), indexFile))(exports, requireFrom);
    return { exports, loaded };
  }

  test('nothing but core/lazy runs when the entry point loads; a re-export loads its own module, the same function as without', () => {
    const { exports, loaded } = lazyIndex();
    expect(loaded).toEqual(['./lazy']);
    expect(exports.kitPaths).toBe((require(join(repo, 'dist', 'core', 'paths')) as { kitPaths: unknown }).kitPaths);
    expect(loaded).toEqual(['./lazy', './paths']);
    expect(exports.ImageStore).toBe((require(join(repo, 'dist', 'core', 'image', 'store')) as { ImageStore: unknown }).ImageStore);
    expect(exports.chalk).toBe((require(join(repo, 'dist', 'core', 'trace', 'colors')) as { default: unknown }).default); // a default re-export
    expect(loaded).toEqual(['./lazy', './paths', './image/store', './trace/colors']);
    // every name the eager entry point exports is there, with the same value
    const eager = require(indexFile) as Record<string, unknown>;
    expect(Object.keys(exports).sort()).toEqual(Object.keys(eager).sort());
    for (const name of ['runContainer', 'NAMESPACES', 'KitError', 'BRIDGE', 'CLONE']) expect(exports[name]).toBe(eager[name]);
  });

  test('a use of a re-exported module other than through a getter fails the build, not the command', () => {
    const text = readFileSync(indexFile, 'utf8');
    const [, name] = /^var (\w+) = require\("\.\/paths"\);$/m.exec(text)!;
    expect(() => lazyReexports(`${text}\n${name}.kitPaths();\n`, indexFile)).toThrow(/uses \w+ outside a re-export's getter/);
    expect(() => lazyReexports('var a_1 = require("./a");\n', indexFile)).toThrow(/re-exports of the form/);
  });

  test("kit image import of a large plain tar loads neither Node's crypto nor zlib, which only a gzipped or small archive needs (it is hashed natively)", () => {
    const root = mkdtempSync(join(tmpdir(), 'kit-bundle-import-'));
    try {
      const tar = join(root, 'rootfs.tar');
      mkdirSync(join(root, 'src', 'etc'), { recursive: true });
      writeFileSync(join(root, 'src', 'etc', 'hostname'), 'kit\n');
      writeFileSync(join(root, 'src', 'data'), Buffer.alloc(16 << 20, 1)); // PARALLEL_HASH_FROM (core/image/tar/archive.ts)
      expect(spawnSync('tar', ['-C', join(root, 'src'), '-cf', tar, '.']).status).toBe(0);
      const bin = join(repo, 'bin', 'run.js');
      const script = `process.argv.splice(1, Infinity, ${JSON.stringify(bin)}, 'image', 'import', ${JSON.stringify(tar)}, '--name', 'plain');
        process.on('exit', () => process.stderr.write('\\nBUILTINS ' + JSON.stringify(process.moduleLoadList.filter((m) => m.startsWith('NativeModule '))) + '\\n'));
        require(${JSON.stringify(bin)});`;
      const r = spawnSync(process.execPath, ['-e', script], { env: { ...env, KIT_ROOT: join(root, 'kit') }, encoding: 'utf8' });
      expect(r.stdout).toBe(`imported plain from ${tar} (rootfs, 1 layer)\n`);
      const builtins = JSON.parse(/^BUILTINS (.*)$/m.exec(r.stderr)![1]) as string[];
      expect(builtins).toContain('NativeModule fs');
      expect(builtins.filter((m) => /^NativeModule (crypto|zlib)$/.test(m))).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
