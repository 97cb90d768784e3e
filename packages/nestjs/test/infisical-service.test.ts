import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import type { Emulator } from '@infisical/emulator';
import { Test, type TestingModule } from '@nestjs/testing';
import { startDemoEmulator } from 'test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  InfisicalModule,
  type InfisicalModuleOptions,
  InfisicalService,
  isInfisicalError,
  type SecretsChangeEvent,
} from '../src/index.ts';
import {
  capturingLogger,
  DEMO_VALUES,
  demoOptions,
  LIST_ROUTE,
  rotate,
  waitUntil,
} from './helpers.ts';

let emulator: Emulator;
const logger = capturingLogger();
const open: TestingModule[] = [];

beforeAll(async () => {
  emulator = await startDemoEmulator();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((moduleRef) => moduleRef.close()));
  emulator.clearFaults();
  emulator.reset();
  logger.lines.length = 0;
});
afterAll(async () => {
  await emulator.close();
});

async function boot(options: InfisicalModuleOptions): Promise<InfisicalService> {
  const moduleRef = await Test.createTestingModule({
    imports: [InfisicalModule.forRoot(options)],
  })
    .setLogger(logger)
    .compile();
  open.push(moduleRef);
  return moduleRef.get(InfisicalService);
}

describe('InfisicalService', () => {
  it('refresh() picks up a rotation; changes$ and onChange hear key names', async () => {
    const infisical = await boot(demoOptions(emulator));
    const fromObservable: SecretsChangeEvent[] = [];
    const fromCallback: SecretsChangeEvent[] = [];
    infisical.changes$.subscribe((change) => fromObservable.push(change));
    const unsubscribe = infisical.onChange((change) => fromCallback.push(change));

    rotate(emulator, 'API_TOKEN', 'rotated-token-0042');
    expect(infisical.get('API_TOKEN')).toBe('demo-api-token-0003');
    await infisical.refresh();
    expect(infisical.get('API_TOKEN')).toBe('rotated-token-0042');
    const expected = { added: [], changed: ['API_TOKEN'], removed: [], publicChanged: false };
    expect(fromObservable).toEqual([expected]);
    expect(fromCallback).toEqual([expected]);

    unsubscribe();
    rotate(emulator, 'API_TOKEN', 'rotated-token-0043');
    await infisical.refresh();
    expect(fromObservable).toHaveLength(2);
    expect(fromCallback).toHaveLength(1);
  });

  it('follows rotation in the background, every cache TTL by default', async () => {
    const infisical = await boot(demoOptions(emulator, { cacheTtl: 0.2 }));
    const heard: string[][] = [];
    infisical.onChange((change) => heard.push(change.changed));
    rotate(emulator, 'SESSION_SECRET', 'rotated-session-secret');
    await waitUntil(() => infisical.get('SESSION_SECRET') === 'rotated-session-secret');
    expect(heard).toContainEqual(['SESSION_SECRET']);
  });

  it('reads the TTL from INFISICAL_CACHE_TTL; refreshInterval: 0 turns the refresh off', async () => {
    const fromEnv = await boot(demoOptions(emulator, { env: { INFISICAL_CACHE_TTL: '0.2' } }));
    const off = await boot(demoOptions(emulator, { cacheTtl: 0.2, refreshInterval: 0 }));
    rotate(emulator, 'APP_NAME', 'Renamed demo');
    await waitUntil(() => fromEnv.get('APP_NAME') === 'Renamed demo');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(off.get('APP_NAME')).toBe('Infisical demo');
  });

  it('keeps serving the last values while Infisical is down, and logs a warning without values', async () => {
    const infisical = await boot(demoOptions(emulator, { cacheTtl: 0.2 }));
    emulator.injectFault({ route: LIST_ROUTE, status: 503 });
    const failedBefore = emulator.requestCount(LIST_ROUTE);
    await waitUntil(() => emulator.requestCount(LIST_ROUTE) >= failedBefore + 3);
    await infisical.refresh();
    expect(infisical.get('API_TOKEN')).toBe('demo-api-token-0003');
    expect(infisical.getOrThrow('DB_PASSWORD')).toBe('demo-db-password');

    const warnings = logger.lines.filter((line) => line.startsWith('warn'));
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings[0]).toMatch(/SERVER_ERROR: Infisical answered 503/);
    for (const value of DEMO_VALUES) expect(logger.lines.join('\n')).not.toContain(value);

    emulator.clearFaults();
    rotate(emulator, 'API_TOKEN', 'back-online-token');
    await waitUntil(() => infisical.get('API_TOKEN') === 'back-online-token');
  });

  it('sends errors to onError instead of the logger when given', async () => {
    const codes: string[] = [];
    const infisical = await boot(
      demoOptions(emulator, { onError: (error) => codes.push(error.code) }),
    );
    emulator.injectFault({ route: LIST_ROUTE, status: 500 });
    await infisical.refresh();
    expect(codes).toEqual(['SERVER_ERROR']);
    expect(logger.lines.filter((line) => line.startsWith('warn'))).toEqual([]);
  });

  it('stops the background refresh and completes changes$ on shutdown', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [InfisicalModule.forRoot(demoOptions(emulator, { cacheTtl: 0.1 }))],
    }).compile();
    const app = moduleRef.createNestApplication();
    await app.init();
    let completed = false;
    app.get(InfisicalService).changes$.subscribe({ complete: () => (completed = true) });
    const before = emulator.requestCount(LIST_ROUTE);
    await waitUntil(() => emulator.requestCount(LIST_ROUTE) >= before + 2);
    await app.close();
    expect(completed).toBe(true);
    const atClose = emulator.requestCount(LIST_ROUTE);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(emulator.requestCount(LIST_ROUTE)).toBe(atClose);
  });

  it('getOrThrow names a missing key with MISSING_SECRETS', async () => {
    const infisical = await boot(demoOptions(emulator));
    const error = (() => {
      try {
        infisical.getOrThrow('NOT_THERE');
      } catch (caught) {
        return caught;
      }
    })();
    expect(isInfisicalError(error) && error.code).toBe('MISSING_SECRETS');
    expect((error as Error).message).toContain('NOT_THERE');
  });

  it('with skip, serves only the declared keys the environment has, and contacts nobody', async () => {
    process.env.NEST_TEST_ONLY_VALUE = 'from-the-environment';
    const before = emulator.requestCount();
    try {
      const infisical = await boot(
        demoOptions(emulator, { skip: true, env: process.env, required: ['NEST_TEST_ONLY_VALUE'] }),
      );
      expect(infisical.source).toBe('skipped');
      expect(infisical.get('NEST_TEST_ONLY_VALUE')).toBe('from-the-environment');
      expect(Object.keys(infisical.getAll())).toEqual(['NEST_TEST_ONLY_VALUE']);
      expect(infisical.get('PATH')).toBeUndefined();
      expect(emulator.requestCount()).toBe(before);
    } finally {
      delete process.env.NEST_TEST_ONLY_VALUE;
    }
  });

  it('typesFile writes the key names (no value) as an InfisicalSecretKeys augmentation', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'infisical-nest-types-'));
    try {
      const file = join(dir, 'src', 'infisical-keys.generated.d.ts');
      await boot(demoOptions(emulator, { typesFile: file }));
      const text = readFileSync(file, 'utf8');
      // What test/types/augmented-keys.test-d.ts compiles against.
      expect(text).toBe(
        readFileSync(new URL('types/infisical-keys.generated.d.ts', import.meta.url), 'utf8'),
      );
      for (const value of DEMO_VALUES) expect(text).not.toContain(value);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shows no value through util.inspect or JSON', async () => {
    const infisical = await boot(demoOptions(emulator));
    const shown = `${inspect(infisical, { depth: 10, showHidden: true })} ${JSON.stringify(infisical)}`;
    for (const value of DEMO_VALUES) expect(shown).not.toContain(value);
  });
});
