import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../src', import.meta.url));
const files = readdirSync(src, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
  .filter((file) => !file.startsWith('node') && file !== 'node.ts');

describe('the main entry is portable', () => {
  it('imports no node: module and uses no Buffer or require (Node-only code lives in ./node)', () => {
    const offenders = files.filter((file) => {
      const text = readFileSync(join(src, file), 'utf8');
      return /from ['"]node:|import\(['"]node:|\bBuffer\.|\brequire\(/.test(text);
    });
    expect(offenders.map((file) => relative(src, join(src, file)))).toEqual([]);
  });

  it('has no runtime dependencies', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(pkg.dependencies ?? {}).toEqual({});
  });
});
