import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DEMO_SEED_FILE,
  loadSeedFile,
  parseSeed,
  parseSeedText,
  SeedError,
  startEmulator,
} from '../src/index.ts';

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
      const health = await (await fetch(`${emulator.url}/_emulator/health`)).json();
      expect(health).toMatchObject({ ok: true, serverVersion: 'latest' });
    } finally {
      await emulator.close();
    }
  });
});
