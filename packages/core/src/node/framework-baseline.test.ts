import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frameworkBaseline, packagePaths } from './framework-baseline.js';

describe('the framework baseline', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'package-paths-'));
    for (const name of ['framework', '@scope/runtime']) {
      await mkdir(join(root, 'node_modules', name, 'dist', 'client'), { recursive: true });
      await writeFile(join(root, 'node_modules', name, 'package.json'), '{}');
    }
    await mkdir(join(root, 'app'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it("finds paths inside packages as the project's code would, from its folder or a parent's", () => {
    const app = join(root, 'app');
    expect(
      packagePaths(app, ['framework/dist/client', '@scope/runtime/dist', 'framework', 'absent/x']),
    ).toEqual([
      join(root, 'node_modules', 'framework', 'dist', 'client'),
      join(root, 'node_modules', '@scope', 'runtime', 'dist'),
      join(root, 'node_modules', 'framework'),
    ]);
    expect(packagePaths(app, ['framework/dist/missing'])).toEqual([]);
  });

  it("reads the framework's production JavaScript only, and every file of the user's own baseline", () => {
    const app = join(root, 'app');
    const framework = join(root, 'node_modules', 'framework', 'dist');
    const { baseline, baselineInclude } = frameworkBaseline(app, ['framework/dist'], ['known']);
    expect(baseline).toEqual([framework, join(app, 'known')]);
    const read = (file: string, folder: string) => baselineInclude(file, folder);
    expect(read('client/index.js', framework)).toBe(true);
    expect(read('cjs/react-dom-client.production.js', framework)).toBe(true);
    expect(read('esm/entry.mjs', framework)).toBe(true);
    expect(read('cjs/react-dom-client.development.js', framework)).toBe(false);
    expect(read('client/dev/overlay.js', framework)).toBe(false);
    expect(read('client/index.d.ts', framework)).toBe(false);
    expect(read('client/index.js.map', framework)).toBe(false);
    expect(read('server/app/index.html', join(app, 'known'))).toBe(true);
  });
});
