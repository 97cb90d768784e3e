import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderEnvTypes, writeEnvTypes } from './types-file.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('renderEnvTypes', () => {
  it('declares each public key as a string, sorted, quoting names that are not identifiers', () => {
    const text = renderEnvTypes(['VITE_B', 'VITE_A', 'MY-KEY']);
    expect(text).toContain('/// <reference types="vite/client" />');
    expect(text).toContain(
      'interface ImportMetaEnv {\n  readonly "MY-KEY": string;\n  readonly VITE_A: string;\n  readonly VITE_B: string;\n}',
    );
  });
});

describe('writeEnvTypes', () => {
  it('creates the folder, and rewrites the file only when the keys change', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'infisical-vite-types-'));
    dirs.push(dir);
    const file = join(dir, 'src', 'env.generated.d.ts');
    expect(await writeEnvTypes(file, ['VITE_A'])).toBe(true);
    const written = statSync(file).mtimeMs;
    expect(await writeEnvTypes(file, ['VITE_A'])).toBe(false);
    expect(statSync(file).mtimeMs).toBe(written);
    expect(await writeEnvTypes(file, ['VITE_A', 'VITE_B'])).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain('readonly VITE_B: string;');
  });
});
