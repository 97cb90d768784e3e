import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLeakScanner } from '../leaks/scanner.js';
import { scanDirectory } from './scan-files.js';

const VALUE = 'fake-build-secret-91f2';

describe('scanDirectory', () => {
  let dir: string;
  let outside: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scan-'));
    outside = await mkdtemp(join(tmpdir(), 'scan-outside-'));
    await mkdir(join(dir, 'assets', 'nested'), { recursive: true });
    await writeFile(join(dir, 'assets', 'nested', 'chunk.mjs'), `x="${VALUE}"`);
    await writeFile(join(dir, '.env'), `SECRET=${VALUE}\n`);
    await writeFile(join(dir, 'LICENSE'), `no extension ${VALUE}`);
    await writeFile(join(dir, 'site.webmanifest'), JSON.stringify({ start_url: `/?t=${VALUE}` }));
    await writeFile(
      join(dir, 'image.png'),
      Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0]), Buffer.from(VALUE)]),
    );
    await writeFile(join(dir, 'latin1.txt'), Buffer.from(`caf\xe9 ${VALUE}`, 'latin1'));
    await writeFile(join(outside, 'linked.js'), `linked ${VALUE}`);
    await symlink(join(outside, 'linked.js'), join(dir, 'link.js'));
    await symlink(join(outside, 'missing.js'), join(dir, 'dangling.js'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  it('reads every text file whatever its name, links to files too, and skips binary files by content', async () => {
    const scanner = createLeakScanner({ privateValues: { BUILD_SECRET: VALUE } });
    const report = await scanDirectory(dir, scanner);
    expect(report.findings.map((f) => f.file)).toEqual([
      '.env',
      'LICENSE',
      join('assets', 'nested', 'chunk.mjs'),
      'link.js',
      'site.webmanifest',
    ]);
    expect(report.skipped).toEqual([
      { file: 'image.png', reason: 'binary' },
      { file: 'latin1.txt', reason: 'binary' },
    ]);
    expect(report.files).toBe(5);
    expect(report).toMatchObject({ tooShort: [], minLength: 6, warnings: [] });
  });

  it('scans only the files `include` accepts', async () => {
    const scanner = createLeakScanner({ privateValues: { BUILD_SECRET: VALUE } });
    const report = await scanDirectory(dir, scanner, { include: (file) => file.endsWith('.mjs') });
    expect(report.findings.map((f) => f.file)).toEqual([join('assets', 'nested', 'chunk.mjs')]);
    expect(report.files).toBe(1);
  });

  it('reads the baseline only when the scan found a private value', async () => {
    const scanner = createLeakScanner({ privateValues: { ABSENT: 'fake-absent-value-00' } });
    // The baseline does not exist: a scan without findings never reads it.
    const report = await scanDirectory(dir, scanner, { baseline: join(outside, 'missing') });
    expect(report).toMatchObject({ findings: [], warnings: [], files: 5 });
  });

  it('rescans the files with findings against a baseline (a folder or a file): its values become warnings', async () => {
    await writeFile(join(outside, 'runtime.js'), `const s = "${VALUE}";`);
    const scanner = createLeakScanner({ privateValues: { BUILD_SECRET: VALUE } });
    const report = await scanDirectory(dir, scanner, { baseline: join(outside, 'runtime.js') });
    expect(report.findings).toEqual([]);
    expect(report.warnings).toHaveLength(5);
    expect(report.warnings[0]?.baseline).toMatch(/runtime\.js$/);
    const fromFolder = await scanDirectory(
      dir,
      createLeakScanner({ privateValues: { BUILD_SECRET: VALUE } }),
      {
        baseline: [outside],
      },
    );
    expect(fromFolder.findings).toEqual([]);
    const filtered = await scanDirectory(
      dir,
      createLeakScanner({ privateValues: { BUILD_SECRET: VALUE } }),
      { baseline: [outside], baselineInclude: (file) => !file.endsWith('.js') },
    );
    expect(filtered.warnings).toEqual([]);
    expect(filtered.findings).toHaveLength(5);
  });

  it('fails with CONFIG_INVALID for a folder that does not exist', async () => {
    const scanner = createLeakScanner({ privateValues: {} });
    await expect(scanDirectory(join(dir, 'nope'), scanner)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringMatching(/does not exist.*Fix: build first/),
    });
  });
});
