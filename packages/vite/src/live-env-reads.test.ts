import { describe, expect, it } from 'vitest';
import { inlineEnvReads } from './live-env-reads.js';

describe('inlineEnvReads', () => {
  it('replaces reads of the given keys by string literals', () => {
    const code =
      'const a = import.meta.env.VITE_A;\nrender(import.meta.env.VITE_B, import.meta.env.MODE);';
    expect(inlineEnvReads(code, { VITE_A: 'one', VITE_B: 'say "hi"\n' })).toBe(
      'const a = "one";\nrender("say \\"hi\\"\\n", import.meta.env.MODE);',
    );
  });

  it('leaves longer names, other objects and unknown keys alone', () => {
    const code = 'x(import.meta.env.VITE_AB, notimport.meta.env.VITE_A, import.meta.env.VITE_C)';
    expect(inlineEnvReads(code, { VITE_A: 'one' })).toBeUndefined();
  });

  it('ignores inherited properties', () => {
    expect(inlineEnvReads('import.meta.env.toString', {})).toBeUndefined();
  });
});
