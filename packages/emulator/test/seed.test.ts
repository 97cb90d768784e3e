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
    expect(() => parseSeedText('projects: []\nextra: 1\n', 'inline')).toThrow(
      /inline:2:\d+: \(top level\): unknown field\(s\) "extra"/,
    );
  });

  it('makes startEmulator fail before listening on a bad seed file', async () => {
    await expect(startEmulator({ seed: join(dir, 'missing.yaml') })).rejects.toThrow(
      /missing\.yaml: cannot read the seed file \(ENOENT\)/,
    );
  });
});
