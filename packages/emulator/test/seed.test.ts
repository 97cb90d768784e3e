import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import {
  DEMO_SEED_FILE,
  loadSeedFile,
  parseSeed,
  parseSeedText,
  SeedError,
  startEmulator,
} from '../src/index.ts';
import { loadFast } from '../src/seed/fast-yaml.ts';

const dir = mkdtempSync(join(tmpdir(), 'emulator-seed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function seedFile(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('seed files', () => {
  it('loads the bundled demo seed', () => {
    const seed = loadSeedFile(DEMO_SEED_FILE);
    expect(seed.projects[0]?.slug).toBe('demo-app');
    expect(seed.identities.map((i) => i.name)).toContain('demo-app-server');
  });

  it('reads YAML and JSON alike', () => {
    const yaml = seedFile('a.yaml', 'projects:\n  - slug: p\n    environments: [dev]\n');
    const json = seedFile(
      'a.json',
      JSON.stringify({ projects: [{ slug: 'p', environments: ['dev'] }] }),
    );
    expect(loadSeedFile(yaml)).toEqual(loadSeedFile(json));
  });

  it('names the file, line and field of a schema problem', () => {
    const file = seedFile(
      'bad.yaml',
      [
        'projects:',
        '  - slug: demo',
        '    environments:',
        '      - slug: dev',
        '        secrets:',
        '          /:',
        '            OK: fine',
        '            BAD: { valu: typo }',
      ].join('\n'),
    );
    expect(() => loadSeedFile(file)).toThrow(SeedError);
    try {
      loadSeedFile(file);
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain(`${file}:8:`);
      expect(message).toContain('projects[0].environments[0].secrets./.BAD.value: is required');
      expect(message).toContain('unknown field(s) "valu"');
    }
  });

  it('reports YAML syntax errors with their position', () => {
    const file = seedFile('syntax.yaml', 'projects:\n  - slug: [unclosed\n');
    expect(() => loadSeedFile(file)).toThrow(
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+:\\d+: `),
    );
  });

  it('checks references between sections', () => {
    const base = {
      slug: 'p',
      environments: [{ slug: 'dev', imports: { '/': [{ environment: 'qa', path: '/' }] } }],
    };
    expect(() => parseSeed({ projects: [base] })).toThrow(/unknown environment "qa"/);
    expect(() =>
      parseSeed({
        projects: [
          {
            slug: 'p',
            environments: [{ slug: 'dev', personalSecrets: { bot: { '/': { A: 'b' } } } }],
          },
        ],
        identities: [{ name: 'bot' }],
      }),
    ).toThrow(/not a user/);
    expect(() => parseSeed({ identities: [{ name: 'x', projects: { ghost: 'admin' } }] })).toThrow(
      /unknown project "ghost"/,
    );
    expect(() =>
      parseSeed({
        identities: [
          {
            name: 'x',
            universalAuth: {
              clientId: 'a',
              clientSecret: 'b',
              accessTokenTTL: 10,
              accessTokenMaxTTL: 5,
            },
          },
        ],
      }),
    ).toThrow(/accessTokenTTL may not be greater/);
    expect(() =>
      parseSeed(
        JSON.parse(
          '{"projects":[{"slug":"p","environments":[{"slug":"dev","secrets":{"/":{"__proto__":"x"}}}]}]}',
        ),
      ),
    ).toThrow(/secrets\.\/\.__proto__: is not a usable secret name/);
    expect(() => parseSeedText('projects: []\nextra: 1\n', 'inline')).toThrow(
      /inline:2:\d+: \(top level\): unknown field\(s\) "extra"/,
    );
  });

  it('makes startEmulator fail before listening on a bad seed file', async () => {
    await expect(startEmulator({ seed: join(dir, 'missing.yaml') })).rejects.toThrow(
      /missing\.yaml: cannot read the seed file \(ENOENT\)/,
    );
  });

  it('names a duplicate key with both lines, at any depth, and is linear in the file size', () => {
    const file = seedFile(
      'dup.yaml',
      [
        'projects:',
        '  - slug: p',
        '    environments:',
        '      - slug: dev',
        '        secrets:',
        '          /:',
        '            A: one',
        '            B: two',
        '            A: three',
      ].join('\n'),
    );
    expect(() => loadSeedFile(file)).toThrow(/dup\.yaml:9:\d+: .*duplicate key "A".*line 7/);
    const big = seedFile(
      'big.yaml',
      `projects:\n  - slug: p\n    environments:\n      - slug: dev\n        secrets:\n          /:\n${Array.from({ length: 20_000 }, (_, i) => `            K_${i}: v${i}\n`).join('')}`,
    );
    expect(
      Object.keys(loadSeedFile(big).projects[0]?.environments[0]?.secrets['/'] ?? {}),
    ).toHaveLength(20_000);
  });

  it('reads serverVersion, tags, client secrets and imports', async () => {
    const seed = parseSeed({
      serverVersion: '2024-10',
      projects: [
        {
          slug: 'p',
          tags: [{ slug: 'db', color: '#123456' }],
          environments: [
            { slug: 'dev', secrets: { '/': { A: { value: 'a', tags: ['db'] } } } },
            { slug: 'prod', imports: { '/': [{ environment: 'dev', path: '/' }] } },
          ],
        },
      ],
      identities: [
        {
          name: 'ci',
          universalAuth: {
            clientId: 'ci-id',
            clientSecrets: [
              { clientSecret: 'ci-secret', numUsesLimit: 3, ttl: 60, description: 'ci' },
            ],
          },
          projects: { p: 'viewer' },
        },
      ],
    });
    expect(seed.serverVersion).toBe('2024-10');
    const emulator = await startEmulator({ seed });
    try {
      expect(emulator.serverVersion).toBe('2024-10');
      const login = await fetch(`${emulator.url}/api/v1/auth/universal-auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ clientId: 'ci-id', clientSecret: 'ci-secret' }),
      });
      expect(login.status).toBe(200);
    } finally {
      await emulator.close();
    }
    expect(() => parseSeed({ serverVersion: '2023-01' })).toThrow(/serverVersion/);
    expect(() =>
      parseSeed({
        projects: [{ slug: 'p', tags: [{ slug: 'db', name: 'Database' }], environments: ['dev'] }],
      }),
    ).toThrow(/unknown field\(s\) "name"/);
  });

  it('lets the option override the seed version', async () => {
    const emulator = await startEmulator({
      seed: { serverVersion: '2024-10' },
      serverVersion: 'latest',
    });
    try {
      expect(emulator.serverVersion).toBe('latest');
      const health = await (
        await fetch(`${emulator.url}/_emulator/health`, {
          headers: { authorization: `Bearer ${emulator.controlToken}` },
        })
      ).json();
      expect(health).toMatchObject({ ok: true, serverVersion: 'latest' });
    } finally {
      await emulator.close();
    }
  });

  it('reads plain scalars with the fast reader exactly as the careful one does', () => {
    const scalars = [
      '5432',
      '-12',
      '+7',
      '007',
      '0o17',
      '0x1F',
      '0b101',
      '1_000',
      '1.50',
      '.5',
      '5.',
      '1e3',
      '1.5E-2',
      '.inf',
      '-.Inf',
      '.NaN',
      'true',
      'True',
      'TRUE',
      'yes',
      'off',
      'y',
      'null',
      'Null',
      '~',
      '',
      '2024-01-01',
      '2001-12-14t21:59:43.10-05:00',
      '12:30',
      '0.1.2',
      '0x',
      'NaN',
      'Infinity',
      '"5432"',
      "'true'",
      '!!str 12',
      'a: b',
      '[1, two]',
      '{ k: 1 }',
      '>-\n  folded\n  text',
      '|\n  literal\n  text\n',
    ];
    for (const scalar of scalars) {
      const text = `key: ${scalar}\nlist:\n  - ${scalar.replaceAll('\n', '\n    ')}\n`;
      const careful = parseDocument(text, { uniqueKeys: false });
      // What the careful reading refuses, the fast one must not accept.
      if (careful.errors.length > 0) expect(loadFast(text), scalar).toBeUndefined();
      else expect(loadFast(text)?.value, scalar).toEqual(careful.toJS());
    }
    const documents = [
      'a: &x 1\nb: *x\n',
      'base: &b { a: 1 }\nchild:\n  <<: *b\n  c: 2\n',
      'a: !!int 5\nb: !!float 1\nc: !!str 1\nd: !!bool true\n',
      'a: !!binary aGk=\n',
      'a: !!timestamp 2024-01-01\n',
      '? complex\n: value\n',
      '\ufeffa: 1\n',
      'a: 1 # comment\n# only a comment\nb: "multi\\nline"\n',
      'a: 1\r\nb: two\r\n',
      '__proto__: x\nb: 1\n',
      '1: one\n~: nothing\ntrue: yes\n',
      'a:\n\t- tab\n',
      '',
      '# nothing\n',
      '[1, 2]\n',
      'a: b: c\n',
    ];
    // The fast reader may decline (the careful one then decides); what it accepts must agree.
    for (const text of documents) {
      const careful = parseDocument(text, { uniqueKeys: false });
      const fast = loadFast(text);
      if (careful.errors.length > 0) expect(fast, JSON.stringify(text)).toBeUndefined();
      else if (fast)
        expect(fast.value ?? null, JSON.stringify(text)).toEqual(careful.toJS() ?? null);
    }
    expect(loadFast('a: &x [1]\nb: *x\n')).toBeUndefined();
    expect(loadFast('a: 1\na: 2\n')).toBeUndefined();
    expect(loadFast('a: [\n')).toBeUndefined();
    expect(loadFast('a: 1\n---\nb: 2\n')).toBeUndefined();
  });
});
