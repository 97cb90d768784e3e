import { inspect } from 'node:util';
import type { Emulator } from '@infisical/emulator';
import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { startDemoEmulator } from 'test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  InfisicalModule,
  type InfisicalModuleOptions,
  type InfisicalOptionsFactory,
  InfisicalService,
  isInfisicalError,
} from '../src/index.ts';
import { capturingLogger, DEMO_VALUES, demoOptions, LIST_ROUTE } from './helpers.ts';

let emulator: Emulator;
const logger = capturingLogger();

beforeAll(async () => {
  emulator = await startDemoEmulator();
});
afterEach(() => emulator.clearFaults());
afterAll(async () => {
  await emulator.close();
});

/** A provider that reads a secret in its constructor and in onModuleInit. */
@Injectable()
class ReadsAtBoot implements OnModuleInit {
  readonly inConstructor: string | undefined;
  inModuleInit: string | undefined;
  // Injected by type: SWC emits the decorator metadata (tsconfig emitDecoratorMetadata).
  constructor(readonly infisical: InfisicalService) {
    this.inConstructor = infisical.get('API_TOKEN');
  }
  onModuleInit(): void {
    this.inModuleInit = this.infisical.getOrThrow('DATABASE_URL');
  }
}

describe('InfisicalModule.forRoot', () => {
  it('loads secrets before providers are created and onModuleInit runs', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [InfisicalModule.forRoot(demoOptions(emulator))],
      providers: [ReadsAtBoot],
    }).compile();
    await moduleRef.init();
    const reader = moduleRef.get(ReadsAtBoot);
    expect(reader.inConstructor).toBe('demo-api-token-0003');
    expect(reader.inModuleInit).toBe('postgres://demo:demo-db-password@localhost:5432/demo');
    const infisical = moduleRef.get(InfisicalService);
    expect(infisical.source).toBe('infisical');
    expect(infisical.getAll()).toMatchObject({ APP_NAME: 'Infisical demo', DB_PORT: '5432' });
    expect(infisical.get('NOPE')).toBeUndefined();
    await moduleRef.close();
  });

  it('is not global by default; isGlobal makes InfisicalService injectable everywhere', async () => {
    @Module({ providers: [ReadsAtBoot], exports: [ReadsAtBoot] })
    class FeatureModule {}

    await expect(
      Test.createTestingModule({
        imports: [InfisicalModule.forRoot(demoOptions(emulator)), FeatureModule],
      }).compile(),
    ).rejects.toThrow(/InfisicalService/);

    const moduleRef = await Test.createTestingModule({
      imports: [
        InfisicalModule.forRoot({ ...demoOptions(emulator), isGlobal: true }),
        FeatureModule,
      ],
    }).compile();
    expect(moduleRef.get(ReadsAtBoot).inConstructor).toBe('demo-api-token-0003');
    await moduleRef.close();
  });

  it('a failed first load rejects bootstrap with core’s typed error, naming no value', async () => {
    const wrongSecret = 'wrong-client-secret-9f1e';
    const refused = await Test.createTestingModule({
      imports: [
        InfisicalModule.forRoot(
          demoOptions(emulator, {
            auth: { universalAuth: { clientId: 'demo-client-id', clientSecret: wrongSecret } },
          }),
        ),
      ],
    })
      .compile()
      .catch((error: unknown) => error);
    expect(isInfisicalError(refused) && refused.code).toBe('AUTH_FAILED');

    emulator.injectFault({ route: LIST_ROUTE, status: 503 });
    const down = await Test.createTestingModule({
      imports: [InfisicalModule.forRoot(demoOptions(emulator))],
    })
      .compile()
      .catch((error: unknown) => error);
    expect(isInfisicalError(down) && down.code).toBe('SERVER_ERROR');
    expect((down as Error).message).toMatch(/503 .*GET \/api\/v3\/secrets\/raw/);

    for (const error of [refused, down]) {
      const shown = `${inspect(error)} ${JSON.stringify(error)}`;
      for (const value of [...DEMO_VALUES, wrongSecret]) expect(shown).not.toContain(value);
    }
  });

  it('refuses an unknown option at bootstrap, naming the nearest valid one', async () => {
    const error = await Test.createTestingModule({
      imports: [
        InfisicalModule.forRoot({
          ...demoOptions(emulator),
          cacheTTL: 60,
        } as InfisicalModuleOptions),
      ],
    })
      .compile()
      .catch((caught: unknown) => caught);
    expect(isInfisicalError(error) && error.code).toBe('CONFIG_INVALID');
    expect((error as Error).message).toContain('did you mean "cacheTtl"');
  });

  it('NestFactory rejects (abortOnError: false) with the same error', async () => {
    @Module({
      imports: [InfisicalModule.forRoot(demoOptions(emulator, { required: ['MISSING_KEY'] }))],
    })
    class AppModule {}
    const error = await NestFactory.createApplicationContext(AppModule, {
      abortOnError: false,
      logger,
    })
      .then(() => undefined)
      .catch((caught: unknown) => caught);
    expect(isInfisicalError(error) && error.code).toBe('MISSING_SECRETS');
    expect((error as Error).message).toContain('MISSING_KEY');
  });
});

describe('InfisicalModule.forRootAsync', () => {
  it('useFactory with imports and inject (ConfigService)', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        InfisicalModule.forRootAsync({
          imports: [
            ConfigModule.forRoot({
              ignoreEnvFile: true,
              ignoreEnvVars: true,
              load: [() => ({ INFISICAL_SITE_URL: emulator.url, INFISICAL_ENVIRONMENT: 'dev' })],
            }),
          ],
          inject: [ConfigService],
          useFactory: (config: ConfigService) =>
            demoOptions(emulator, {
              siteUrl: config.getOrThrow('INFISICAL_SITE_URL'),
              environment: config.getOrThrow('INFISICAL_ENVIRONMENT'),
            }),
        }),
      ],
      providers: [ReadsAtBoot],
    }).compile();
    expect(moduleRef.get(ReadsAtBoot).inConstructor).toBe('demo-api-token-0003');
    await moduleRef.close();
  });

  it('useClass and useExisting with an InfisicalOptionsFactory; isGlobal', async () => {
    @Injectable()
    class OptionsFromClass implements InfisicalOptionsFactory {
      createInfisicalOptions(): Promise<InfisicalModuleOptions> {
        return Promise.resolve(demoOptions(emulator, { environment: 'prod' }));
      }
    }
    const viaClass = await Test.createTestingModule({
      imports: [InfisicalModule.forRootAsync({ useClass: OptionsFromClass })],
    }).compile();
    expect(viaClass.get(InfisicalService).get('DB_HOST')).toBe('prod-db.internal');
    await viaClass.close();

    @Module({ providers: [OptionsFromClass], exports: [OptionsFromClass] })
    class OptionsModule {}
    @Module({ providers: [ReadsAtBoot] })
    class FeatureModule {}
    const viaExisting = await Test.createTestingModule({
      imports: [
        InfisicalModule.forRootAsync({
          imports: [OptionsModule],
          useExisting: OptionsFromClass,
          isGlobal: true,
        }),
        FeatureModule,
      ],
    }).compile();
    expect(viaExisting.get(InfisicalService).get('SESSION_SECRET')).toBe(
      'prod-session-secret-fake',
    );
    expect(viaExisting.get(ReadsAtBoot).infisical).toBe(viaExisting.get(InfisicalService));
    await viaExisting.close();
  });

  it('a factory that throws rejects bootstrap with its own error', async () => {
    await expect(
      Test.createTestingModule({
        imports: [
          InfisicalModule.forRootAsync({
            useFactory: () => {
              throw new Error('no options for you');
            },
          }),
        ],
      }).compile(),
    ).rejects.toThrow('no options for you');
  });
});
