/**
 * The version table: one row per behaviour with a source for each version, rendered into the
 * README, and the only place in the emulator that looks at the version.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  BEHAVIOUR_ROWS,
  behavioursFor,
  isServerVersion,
  renderVersionTable,
  SERVER_VERSIONS,
  startEmulator,
} from '../src/index.ts';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('the version table', () => {
  it('has one row per behaviour, each with what every version does and a source', () => {
    const keys = BEHAVIOUR_ROWS.map((row) => row.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(Object.keys(behavioursFor('latest')).sort()).toEqual([...keys].sort());
    for (const row of BEHAVIOUR_ROWS) {
      for (const version of SERVER_VERSIONS) {
        expect(row.shows[version], `${row.key} ${version}`).not.toBe('');
        expect(row.source[version], `${row.key} ${version}`).not.toBe('');
      }
    }
  });

  it('is the table in the README', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const start = readme.indexOf('<!-- version-table:start -->');
    const end = readme.indexOf('<!-- version-table:end -->');
    expect(start, 'README markers').toBeGreaterThan(-1);
    const table = readme.slice(start + '<!-- version-table:start -->'.length, end).trim();
    expect(table).toBe(renderVersionTable());
  });

  it('is the only place that looks at the version', () => {
    const versionsDir = join(SRC, 'versions');
    const offenders = sourceFiles(SRC)
      .filter((file) => !file.startsWith(versionsDir))
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .map((line, i) => ({ line, at: `${file.slice(SRC.length)}:${i + 1}` }))
          // Comments may name a version; code may not compare against one.
          .filter(({ line }) => !/^\s*(\*|\/\/|\/\*\*)/.test(line))
          .filter(({ line }) =>
            /['"`]2024-10['"`]|serverVersion\s*[!=]==|===\s*['"`]latest['"`]/.test(line),
          )
          .map(({ at }) => at),
      );
    expect(offenders).toEqual([]);
  });

  it('names the versions it knows', async () => {
    expect(SERVER_VERSIONS).toEqual(['latest', '2024-10']);
    expect(isServerVersion('2024-10')).toBe(true);
    expect(isServerVersion('2025-01')).toBe(false);
    const emulator = await startEmulator({ seed: {} });
    try {
      expect(emulator.serverVersion).toBe('latest');
    } finally {
      await emulator.close();
    }
    await expect(
      startEmulator({ seed: {}, serverVersion: '2023' as unknown as 'latest' }),
    ).rejects.toThrow(/serverVersion: unknown version "2023" \(use latest or 2024-10\)/);
  });
});
