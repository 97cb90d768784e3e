import type { SchemaKeys } from '@infisical/core';
import { ConfigModule } from '@nestjs/config';
import { expectTypeOf } from 'vitest';
import {
  InfisicalModule,
  type InfisicalModuleOptions,
  type InfisicalOptionsFactory,
  type InfisicalService,
  infisicalConfig,
  type SecretsChangeEvent,
} from '../src/index.ts';
import { type DemoConfig, demoSchema } from './schemas.ts';

InfisicalModule.forRoot({ projectId: 'p', environment: 'dev', cacheTtl: 60, isGlobal: true });
InfisicalModule.forRoot({ auth: { universalAuth: { clientId: 'id', clientSecret: 'secret' } } });
// @ts-expect-error a Nest server has no client bundle: exposure options do not exist here
InfisicalModule.forRoot({ publicPrefixes: ['PUBLIC_'] });
// @ts-expect-error cacheTtl is a number of seconds
InfisicalModule.forRoot({ cacheTtl: '60' });

InfisicalModule.forRootAsync({
  imports: [],
  inject: ['TOKEN'],
  useFactory: async (_token: string): Promise<InfisicalModuleOptions> => ({ environment: 'dev' }),
  isGlobal: true,
});

class Options implements InfisicalOptionsFactory {
  createInfisicalOptions(): InfisicalModuleOptions {
    return { environment: 'dev' };
  }
}
InfisicalModule.forRootAsync({ useClass: Options });
InfisicalModule.forRootAsync({ useExisting: Options });
class NotOptions {
  create(): InfisicalModuleOptions {
    return {};
  }
}
// @ts-expect-error the factory class implements createInfisicalOptions
InfisicalModule.forRootAsync({ useClass: NotOptions });

declare const infisical: InfisicalService;
expectTypeOf(infisical.get('X')).toEqualTypeOf<string | undefined>();
expectTypeOf(infisical.getOrThrow('X')).toEqualTypeOf<string>();
expectTypeOf(infisical.getAll()).toEqualTypeOf<Readonly<Record<string, string>>>();
expectTypeOf(infisical.onChange).parameter(0).parameter(0).toEqualTypeOf<SecretsChangeEvent>();
expectTypeOf(infisical.refresh()).resolves.toBeVoid();

// Keys declared by a type argument (or a schema's keys): an unknown key does not compile.
declare const typed: InfisicalService<'API_TOKEN' | 'DB_PORT'>;
expectTypeOf(typed.get('API_TOKEN')).toEqualTypeOf<string | undefined>();
expectTypeOf(typed.getAll()).toEqualTypeOf<
  Readonly<Partial<Record<'API_TOKEN' | 'DB_PORT', string>>>
>();
// @ts-expect-error an undeclared key
typed.get('API_TOKNE');
declare const fromSchema: InfisicalService<SchemaKeys<ReturnType<typeof demoSchema>>>;
expectTypeOf(fromSchema.getOrThrow('DB_PORT')).toEqualTypeOf<string>();
// @ts-expect-error not a key of the schema
fromSchema.getOrThrow('DB_PROT');
InfisicalModule.forRoot({ typesFile: 'src/infisical-keys.generated.d.ts', refreshInterval: 60 });

expectTypeOf(infisicalConfig()).toEqualTypeOf<() => Promise<Readonly<Record<string, string>>>>();
expectTypeOf(infisicalConfig({ schema: demoSchema() })).toEqualTypeOf<() => Promise<DemoConfig>>();
ConfigModule.forRoot({ load: [infisicalConfig(), infisicalConfig({ schema: demoSchema() })] });
// @ts-expect-error ConfigService holds a boot-time snapshot: there is no background refresh
infisicalConfig({ refreshInterval: 60 });
