import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureImage } from '../../core/image/ensure';
import { kitPaths } from '../../core/paths';

/** core has no CLI code: the base image's first build tells its steps only to a sink its caller passes (bin/render/progress.ts). */
describe("the base image's first build", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'kit-base-sink-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test('core prints nothing by itself: no sink, nothing on stderr or stdout', async () => {
    const written: string[] = [];
    const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => (written.push(String(chunk)), true));
    const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (written.push(String(chunk)), true));
    try {
      const image = await ensureImage(kitPaths({ KIT_ROOT: root }), 'base');
      expect(image.name).toBe('base');
    } finally {
      err.mockRestore();
      out.mockRestore();
    }
    expect(written).toEqual([]);
  });

  test("the caller's sink gets every step, in order, and nothing goes elsewhere", async () => {
    const steps: string[] = [];
    const written: string[] = [];
    const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => (written.push(String(chunk)), true));
    try {
      await ensureImage(kitPaths({ KIT_ROOT: root }), 'base', (line) => steps.push(line));
    } finally {
      err.mockRestore();
    }
    expect(steps[0]).toMatch(/^building the default image 'base'/);
    expect(steps.slice(1).map((s) => /^\[(\d)\/4\]/.exec(s)?.[1])).toEqual(['1', '2', '3', '4']);
    expect(written).toEqual([]);
    // built once: the next call has nothing to tell
    const again: string[] = [];
    await ensureImage(kitPaths({ KIT_ROOT: root }), 'base', (line) => again.push(line));
    expect(again).toEqual([]);
  });
});
