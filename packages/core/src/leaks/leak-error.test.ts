import { describe, expect, it } from 'vitest';
import { leakError, leakOutcome } from './leak-error.js';
import type { LeakMatch } from './report.js';

const match = (overrides: Partial<LeakMatch> = {}): LeakMatch => ({
  key: 'API_TOKEN',
  file: 'assets/index.js',
  kind: 'secret',
  form: 'raw',
  line: 3,
  column: 14,
  occurrences: 1,
  ...overrides,
});

describe('leakError', () => {
  it('names keys and files of plain findings as before', () => {
    const error = leakError([{ key: 'DB_HOST', file: 'chunks/app.js' }], '.next/static');
    expect(error).toMatchObject({
      code: 'LEAK_DETECTED',
      details: { findings: [{ key: 'DB_HOST' }] },
    });
    expect(error.message).toMatch(
      /^Private secret value found in \.next\/static: DB_HOST in chunks\/app\.js\. Fix: /,
    );
  });

  it('names the position, the form and repeats of scanner findings, and the credential to rotate', () => {
    const error = leakError(
      [
        match({ occurrences: 2, form: 'base64' }),
        match({
          key: 'INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET',
          kind: 'credential',
          file: 'a.html',
          line: 1,
          column: 2,
        }),
      ],
      'the client build (dist)',
    );
    expect(error.message).toContain(
      'found in the client build (dist): API_TOKEN in assets/index.js:3:14 (base64, 2 times), ' +
        'the Infisical credential INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET in a.html:1:2 (raw).',
    );
    expect(error.message).toContain('must be rotated in Infisical');
  });

  it('lists twenty findings and counts the rest', () => {
    const many = Array.from({ length: 25 }, (_, index) => match({ key: `K${index}` }));
    const error = leakError(many, 'dist');
    expect(error.message).toContain(
      'K19 in assets/index.js:3:14 (raw), and 5 more (error.details.findings lists them all)',
    );
    expect(error.message).not.toContain('K20 ');
    expect((error.details as { findings: unknown[] }).findings).toHaveLength(25);
  });
});

describe('leakOutcome', () => {
  it('gives the error for findings and a line per warning and for the values too short to check', () => {
    const outcome = leakOutcome(
      {
        findings: [match()],
        warnings: [
          match({ key: 'NODE_ENV', reason: 'its value also occurs in the baseline file x.js' }),
        ],
        tooShort: ['PORT', 'FLAG'],
        minLength: 6,
      },
      'dist',
    );
    expect(outcome.error?.code).toBe('LEAK_DETECTED');
    expect(outcome.warnings).toEqual([
      'Infisical: NODE_ENV in assets/index.js:3:14 (raw) in dist is a warning, not a failure: its value also occurs in the baseline file x.js.',
      'Infisical: 2 private values are too short to check (under 6 characters): PORT, FLAG.',
    ]);
    expect(leakOutcome({ findings: [], warnings: [] }, 'dist')).toEqual({
      error: undefined,
      warnings: [],
    });
  });
});
