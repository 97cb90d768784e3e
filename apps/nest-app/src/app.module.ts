import { InfisicalModule, type InfisicalModuleOptions, infisicalConfig } from '@infisical/nestjs';
import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { SecretsController } from './secrets.controller.js';

@Module({
  imports: [
    // ConfigService gets Infisical's values at boot (credentials from the INFISICAL_* variables).
    ConfigModule.forRoot({
      isGlobal: true,
      ignoreEnvFile: true,
      load: [infisicalConfig({ required: ['SESSION_SECRET'] })],
    }),
    // InfisicalService follows rotation; its options come from ConfigService.
    InfisicalModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService): InfisicalModuleOptions => ({
        siteUrl: config.getOrThrow('INFISICAL_SITE_URL'),
        auth: {
          universalAuth: {
            clientId: config.getOrThrow('INFISICAL_UNIVERSAL_AUTH_CLIENT_ID'),
            clientSecret: config.getOrThrow('INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET'),
          },
        },
        projectId: config.getOrThrow('INFISICAL_PROJECT_ID'),
        environment: config.get('INFISICAL_ENVIRONMENT', 'dev'),
        cacheTtl: Number(config.get('INFISICAL_CACHE_TTL', '300')),
        required: ['API_TOKEN', 'DATABASE_URL'],
      }),
    }),
  ],
  controllers: [SecretsController],
})
export class AppModule {}
