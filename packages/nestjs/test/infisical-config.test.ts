import { inspect } from 'node:util';
import type { Emulator } from '@infisical/emulator';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { startDemoEmulator } from 'test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  InfisicalModule,
  InfisicalService,
  infisicalConfig,
  isInfisicalError,
} from '../src/index.ts';
import { capturingLogger, DEMO_VALUES, demoOptions } from './helpers.ts';
import { type DemoConfig, demoSchema, type PortConfig, portSchema } from './schemas.ts';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startDemoEmulator();
});
afterAll(async () => {
  await emulator.close();
});

describe('infisicalConfig', () => {
  it('feeds ConfigService: get returns Infisical values, ahead of process.env', async () => {
    process.env.API_TOKEN = 'from-process-env';
    try {
      const moduleRef = await Test.createTestingModule({
        imports: [ConfigModule.forRoot({ load: [infisicalConfig(demoOptions(emulator))] })],
      }).compile();
      const config = moduleRef.get(ConfigService);
      expect(config.get('API_TOKEN')).toBe('demo-api-token-0003');
      expect(config.getOrThrow('DATABASE_URL')).toContain('@localhost:5432/demo');
      await moduleRef.close();
    } finally {
      delete process.env.API_TOKEN;
    }
  });

  it('gives ConfigService the schema’s output', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({
          load: [infisicalConfig({ ...demoOptions(emulator), schema: demoSchema() })],
        }),
      ],
    }).compile();
    const config = moduleRef.get<ConfigService<DemoConfig, true>>(ConfigService);
    expect(config.get('DB_PORT', { infer: true })).toBe(5432);
    expect(config.get('API_TOKEN', { infer: true })).toBe('demo-api-token-0003');
    await moduleRef.close();
  });

  it('validates the schema against the environment under Infisical’s values (PORT from the environment)', async () => {
    process.env.NEST_TEST_PORT = '8081';
    process.env.API_TOKEN = 'from-process-env';
    try {
      const moduleRef = await Test.createTestingModule({
        imports: [
          ConfigModule.forRoot({
            load: [infisicalConfig({ ...demoOptions(emulator), schema: portSchema })],
          }),
        ],
      }).compile();
      const config = moduleRef.get<ConfigService<PortConfig, true>>(ConfigService);
      expect(config.get('NEST_TEST_PORT', { infer: true })).toBe(8081);
      expect(config.get('API_TOKEN', { infer: true })).toBe('demo-api-token-0003');
      await moduleRef.close();
    } finally {
      delete process.env.NEST_TEST_PORT;
      delete process.env.API_TOKEN;
    }
  });

  it('rejects bootstrap with SCHEMA_INVALID naming the key, never the value', async () => {
    const error = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({
          load: [infisicalConfig({ ...demoOptions(emulator), schema: demoSchema('tok_') })],
        }),
      ],
    })
      .compile()
      .catch((caught: unknown) => caught);
    expect(isInfisicalError(error) && error.code).toBe('SCHEMA_INVALID');
    expect((error as Error).message).toContain('API_TOKEN');
    const shown = `${inspect(error, { depth: 10 })} ${JSON.stringify(error)}`;
    for (const value of DEMO_VALUES) expect(shown).not.toContain(value);
  });

  it('leaves ConfigService to process.env when skipped', async () => {
    process.env.NEST_CONFIG_ONLY_VALUE = 'from-the-environment';
    try {
      const moduleRef = await Test.createTestingModule({
        imports: [
          ConfigModule.forRoot({
            load: [infisicalConfig({ ...demoOptions(emulator), skip: true })],
          }),
        ],
      }).compile();
      expect(moduleRef.get(ConfigService).get('NEST_CONFIG_ONLY_VALUE')).toBe(
        'from-the-environment',
      );
      await moduleRef.close();
    } finally {
      delete process.env.NEST_CONFIG_ONLY_VALUE;
    }
  });

  it('falls back to the environment with a warning when asked to', async () => {
    const logger = capturingLogger();
    emulator.injectFault({ route: '*', status: 503 });
    try {
      const moduleRef = await Test.createTestingModule({
        imports: [
          ConfigModule.forRoot({
            load: [infisicalConfig({ ...demoOptions(emulator), fallbackToEnv: true })],
          }),
        ],
      })
        .setLogger(logger)
        .compile();
      expect(moduleRef.get(ConfigService).get('API_TOKEN')).toBeUndefined();
      expect(logger.lines.join('\n')).toMatch(/warn .*503/);
      await moduleRef.close();
    } finally {
      emulator.clearFaults();
    }
  });
});

describe('InfisicalModule.forRootAsync with a ConfigService fed by infisicalConfig', () => {
  @Injectable()
  class Both {
    constructor(
      @Inject(ConfigService) readonly config: ConfigService,
      @Inject(InfisicalService) readonly infisical: InfisicalService,
    ) {}
  }

  it('works side by side', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({ isGlobal: true, load: [infisicalConfig(demoOptions(emulator))] }),
        InfisicalModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService) =>
            demoOptions(emulator, { environment: config.get('APP_NAME') ? 'prod' : 'dev' }),
        }),
      ],
      providers: [Both],
    }).compile();
    const both = moduleRef.get(Both);
    expect(both.config.get('DB_HOST')).toBe('localhost');
    expect(both.infisical.get('DB_HOST')).toBe('prod-db.internal');
    await moduleRef.close();
  });
});
