import { InfisicalService } from '@infisical/nestjs';
import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { type MaskedSecret, mask } from './mask.js';

/** Masked secrets, read two ways: through InfisicalService (follows rotation) and ConfigService (boot snapshot). */
@Controller()
export class SecretsController {
  constructor(
    private readonly infisical: InfisicalService,
    private readonly config: ConfigService,
  ) {}

  /** A secret as InfisicalService serves it now. */
  @Get('secrets/:name')
  secret(@Param('name') name: string): MaskedSecret {
    const value = this.infisical.get(name);
    if (value === undefined) throw new NotFoundException(`No secret named ${name}`);
    return mask(name, value);
  }

  /** A secret as ConfigService holds it (loaded once, at boot, by infisicalConfig). */
  @Get('config/:name')
  configValue(@Param('name') name: string): MaskedSecret {
    const value = this.config.get<string>(name);
    if (value === undefined) throw new NotFoundException(`No config value named ${name}`);
    return mask(name, String(value));
  }

  /** Whether the app is up, and where its secrets came from. */
  @Get('health')
  health(): { status: 'ok'; source: string; keys: number } {
    return {
      status: 'ok',
      source: this.infisical.source,
      keys: Object.keys(this.infisical.getAll()).length,
    };
  }
}
