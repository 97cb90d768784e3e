import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { LeakMatch } from './report.js';
import { createLeakScanner } from './scanner.js';

const SECRET = 'fake-secret-"quoted"/<tag>&more';

const summary = (found: readonly LeakMatch[]): string[] =>
  found.map(
    (f) =>
      `${f.key} ${f.form} ${f.line}:${f.column}${f.occurrences > 1 ? ` x${f.occurrences}` : ''}`,
  );

function expectConfigError(run: () => unknown, message: RegExp): void {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toMatchObject({ name: 'InfisicalError', code: 'CONFIG_INVALID' });
  expect((caught as Error).message).toMatch(message);
}

describe('createLeakScanner: forms and positions', () => {
  it('finds a value in every form, naming the form and the first position of each', () => {
    const scanner = createLeakScanner({ privateValues: { API_SECRET: SECRET } });
    const json = JSON.stringify(SECRET).slice(1, -1);
    const lines = [
      `raw ${SECRET}`,
      `json "${json}"`,
      `single '${SECRET.replace(/'/g, "\\'")}' and again ${SECRET}`,
      `double ${JSON.stringify(JSON.stringify(SECRET))}`,
      `html-safe ${json.replace(/</g, '\\u003c').replace(/>/g, '\\u003E').replace(/&/g, '\\u0026')}`,
      `entities ${SECRET.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}`,
      `script ${json.replace(/\//g, '\\/')}`,
      `query ?k=${encodeURIComponent(SECRET)}`,
      `basic ${btoa(`user:${SECRET}`)}`,
      `split "${SECRET.slice(0, 12)}" + "${json.slice(12)}"`,
    ];
    const { findings, warnings } = scanner.scanText(lines.join('\n'), 'out.js');
    expect(warnings).toEqual([]);
    expect(summary(findings)).toEqual([
      'API_SECRET raw 1:5 x3',
      'API_SECRET json-escaped 2:7 x3',
      'API_SECRET unicode-escaped 5:11',
      'API_SECRET html-entity 6:10',
      'API_SECRET url-encoded 8:10',
      // `user:` is 5 bytes: the value's own base64 characters start 7 characters in.
      'API_SECRET base64 9:14',
      'API_SECRET split-literal 10:8',
    ]);
    expect(findings.every((f) => f.file === 'out.js' && f.kind === 'secret')).toBe(true);
  });

  it("tells base64url from base64 where the value's characters differ", () => {
    const value = 'fake~~~token???>>>';
    const scanner = createLeakScanner({ privateValues: { T: value } });
    const standard = btoa(`:${value}`);
    const urlSafe = standard.replace(/\+/g, '-').replace(/\//g, '_');
    expect(standard).not.toBe(urlSafe);
    expect(summary(scanner.scanText(`${standard}\n${urlSafe}`).findings)).toEqual([
      'T base64 1:3',
      'T base64url 2:3',
    ]);
  });

  it('reports js-escaped for single quotes and template literals, and counts columns in UTF-16 units', () => {
    const scanner = createLeakScanner({ privateValues: { K: "it's-a-fake\\secret" } });
    const text = "😀 x='it\\'s-a-fake\\\\secret'\ny=`it's-a-fake\\\\secret`";
    // The template form of this value is also its JSON form: reported as the first form that has it.
    expect(summary(scanner.scanText(text).findings)).toEqual([
      'K js-escaped 1:7',
      'K json-escaped 2:4',
    ]);
  });

  it('checks a value longer than the automaton holds, and rejects a near miss past its prefix', () => {
    const long = `fake-${'0123456789abcdef'.repeat(20)}`;
    const scanner = createLeakScanner({ privateValues: { LONG: long } });
    expect(scanner.scanText(`a ${long} b`).findings).toHaveLength(1);
    expect(scanner.scanText(`a ${long.slice(0, -1)}X b`).findings).toEqual([]);
    const huge = `fake-${'x'.repeat(200_000)}-end`;
    const hugeScanner = createLeakScanner({ privateValues: { HUGE: huge } });
    expect(summary(hugeScanner.scanText(`[${huge}]`).findings)).toEqual(['HUGE raw 1:2']);
  });
});

describe('createLeakScanner: which values', () => {
  it('checks every key, __proto__ included, from a Map or a record', () => {
    const record = JSON.parse(
      '{"__proto__":"fake-proto-value-1","constructor":"fake-ctor-value-2"}',
    );
    const fromRecord = createLeakScanner({ privateValues: record });
    const fromMap = createLeakScanner({
      privateValues: new Map([['__proto__', 'fake-proto-value-1']]),
    });
    const text = 'fake-proto-value-1 fake-ctor-value-2';
    expect(fromRecord.scanText(text).findings.map((f) => f.key)).toEqual([
      '__proto__',
      'constructor',
    ]);
    expect(fromMap.scanText(text).findings.map((f) => f.key)).toEqual(['__proto__']);
  });

  it('names every key holding a found value, and leaves out ignored keys', () => {
    const scanner = createLeakScanner({
      privateValues: { A: 'fake-shared-value', B: 'fake-shared-value', C: 'fake-other-value' },
      ignore: ['C'],
    });
    expect(scanner.checked).toBe(2);
    expect(
      scanner.scanText('fake-shared-value fake-other-value').findings.map((f) => f.key),
    ).toEqual(['A', 'B']);
  });

  it('lists values too short to check once, by key, and skips empty and blank values', () => {
    const scanner = createLeakScanner({
      privateValues: { PORT: '5432', BLANK: '', SPACES: '      ', OK: 'fake-long-enough' },
      credentials: [{ label: 'access token', value: 'tok' }],
      minLength: 6,
    });
    expect(scanner.tooShort).toEqual(['PORT', 'access token']);
    expect(scanner.minLength).toBe(6);
    expect(scanner.scanText('5432 tok       ').findings).toEqual([]);
    expect(
      createLeakScanner({ privateValues: { PORT: '5432' }, minLength: 4 }).scanText('5432')
        .findings,
    ).toHaveLength(1);
  });

  it('always checks credentials: never public, ignored or downgraded by the baseline', () => {
    const value = 'fake-client-secret-0a1b2c3d';
    const scanner = createLeakScanner({
      privateValues: {},
      publicValues: { NEXT_PUBLIC_X: value },
      credentials: [{ label: 'INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET', value }],
      ignore: ['INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET'],
      baseline: [{ file: 'runtime.js', text: value }],
    });
    const { findings, warnings } = scanner.scanText(`x="${value}"`);
    expect(warnings).toEqual([]);
    expect(findings).toMatchObject([
      { key: 'INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET', kind: 'credential' },
    ]);
  });

  it('does not report a private value equal to a public one; one inside a public value is a warning', () => {
    const scanner = createLeakScanner({
      privateValues: { ANON: 'fake-anon-key-77', HOST: 'api.fake-shop.example' },
      publicValues: {
        NEXT_PUBLIC_ANON: 'fake-anon-key-77',
        NEXT_PUBLIC_URL: 'https://api.fake-shop.example/v1',
      },
    });
    const { findings, warnings } = scanner.scanText(
      'k="fake-anon-key-77";u="https://api.fake-shop.example/v1"',
    );
    expect(findings).toEqual([]);
    expect(warnings).toMatchObject([
      { key: 'HOST', reason: 'its value is part of the public value of NEXT_PUBLIC_URL' },
    ]);
    const unnamed = createLeakScanner({
      privateValues: { HOST: 'api.fake-shop.example' },
      publicValues: ['https://api.fake-shop.example/v1'],
    });
    expect(unnamed.scanText('api.fake-shop.example').warnings).toMatchObject([
      { key: 'HOST', reason: 'its value is part of the public value' },
    ]);
  });

  it('downgrades values found in the baseline to warnings naming the baseline file', () => {
    const scanner = createLeakScanner({
      privateValues: { MODE: 'production', TOKEN: 'fake-token-value-1' },
      baseline: [{ file: 'node_modules/next/dist/client/index.js', text: 'if(e==="production")' }],
    });
    scanner.addBaseline('cache:"no-store"', 'runtime.js');
    const { findings, warnings } = scanner.scanText('m="production";t="fake-token-value-1"');
    expect(findings.map((f) => f.key)).toEqual(['TOKEN']);
    expect(warnings).toMatchObject([
      { key: 'MODE', baseline: 'node_modules/next/dist/client/index.js', form: 'raw' },
    ]);
    expect(warnings[0]?.reason).toContain('baseline file node_modules/next/dist/client/index.js');
  });

  it('holds values without showing them (inspect, JSON)', () => {
    const scanner = createLeakScanner({
      privateValues: { S: SECRET },
      credentials: [{ label: 'token', value: 'fake-token-abcdef' }],
    });
    for (const shown of [
      inspect(scanner, { depth: 20, showHidden: true }),
      JSON.stringify(scanner),
    ]) {
      expect(shown).not.toContain('fake-secret');
      expect(shown).not.toContain('fake-token');
    }
  });
});

describe('createLeakScanner: hostile options', () => {
  it('rejects unknown options with the nearest valid name', () => {
    expectConfigError(
      () => createLeakScanner({ privateValue: {} } as never),
      /unknown option "privateValue"\. Fix: did you mean "privateValues"\?/,
    );
    expectConfigError(
      () => createLeakScanner({ privateValues: {}, ignored: [] } as never),
      /did you mean "ignore"/,
    );
    expectConfigError(
      () => createLeakScanner({ privateValues: {}, zzz: 1 } as never),
      /use one of privateValues/,
    );
    expectConfigError(() => createLeakScanner(undefined as never), /needs an options object/);
  });

  it('rejects values of the wrong type, naming the key and never the value', () => {
    expectConfigError(
      () => createLeakScanner({ privateValues: { PORT: 5432 } as never }),
      /privateValues\["PORT"\] is number, not a string/,
    );
    expectConfigError(
      () => createLeakScanner({ privateValues: ['fake'] as never }),
      /must be a Map or a plain object/,
    );
    expectConfigError(() => createLeakScanner({} as never), /privateValues is missing/);
    expectConfigError(
      () => createLeakScanner({ privateValues: new Map([[1, 'x']]) as never }),
      /key that is not a string/,
    );
    for (const minLength of [0, 1.5, '6', 10_001]) {
      expectConfigError(
        () => createLeakScanner({ privateValues: {}, minLength: minLength as never }),
        /minLength must be an integer/,
      );
    }
    expectConfigError(
      () => createLeakScanner({ privateValues: {}, ignore: 'A' as never }),
      /ignore must be an array of strings/,
    );
    expectConfigError(
      () =>
        createLeakScanner({ privateValues: {}, credentials: [{ label: 'x', value: 1 }] as never }),
      /credentials\[0\] \(x\) has no string value/,
    );
    expectConfigError(
      () =>
        createLeakScanner({
          privateValues: {},
          credentials: [{ label: 'x', value: 'y', secret: 'z' }] as never,
        }),
      /credentials\[0\]: unknown option "secret"/,
    );
    expectConfigError(
      () => createLeakScanner({ privateValues: {}, baseline: 5 as never }),
      /baseline must be an iterable/,
    );
    expectConfigError(
      () => createLeakScanner({ privateValues: {}, baseline: [{ file: 'a' }] as never }),
      /string file and text/,
    );
    expectConfigError(
      () => createLeakScanner({ privateValues: {} }).scanText(5 as never),
      /must be a string/,
    );
  });
});
