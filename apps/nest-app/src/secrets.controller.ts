import { maskSecret } from '@infisical/core';
import { InfisicalService } from '@infisical/nestjs';
import { Controller, Get, Header, NotFoundException, Param } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

/** A secret as this app shows it: its name, length and core's mask, never the value. */
export interface MaskedSecret {
  name: string;
  length: number;
  masked: string;
}

/** What `GET /api/secrets` answers (the shape every example app serves). */
export interface SecretsReport {
  app: 'nest';
  source: string;
  values: Record<string, string>;
  public: Record<string, string>;
  loadedAt: string;
  changedAt: string | null;
}

function masked(name: string, value: string): MaskedSecret {
  return { name, length: value.length, masked: maskSecret(value) };
}

/** Masked secrets, read two ways: through InfisicalService (follows rotation) and ConfigService (boot snapshot). */
@Controller()
export class SecretsController {
  // InfisicalService is created once the secrets are loaded, before this controller.
  readonly #loadedAt = new Date().toISOString();
  #changedAt: string | null = null;

  constructor(
    private readonly infisical: InfisicalService,
    private readonly config: ConfigService,
  ) {
    infisical.onChange(() => {
      this.#changedAt = new Date().toISOString();
    });
  }

  /** A readable index of the routes. */
  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  index(): string {
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>NestJS + Infisical</title></head>
<body><main>
<h1>NestJS + Infisical</h1>
<p>Secrets from Infisical through <code>@infisical/nestjs</code> (source: ${this.infisical.source}).</p>
<ul>
<li><a href="/api/secrets">/api/secrets</a>: every secret masked, where they came from, when they changed</li>
<li><a href="/secrets/API_TOKEN">/secrets/API_TOKEN</a>: one secret through InfisicalService (follows rotation)</li>
<li><a href="/config/DATABASE_URL">/config/DATABASE_URL</a>: one value through ConfigService (loaded at boot)</li>
<li><a href="/health">/health</a>: liveness</li>
</ul>
</main></body></html>`;
  }

  /** Every secret, masked, with where it came from and when it last changed. */
  @Get('api/secrets')
  report(): SecretsReport {
    const values = Object.entries(this.infisical.getAll());
    return {
      app: 'nest',
      source: this.infisical.source,
      values: Object.fromEntries(values.map(([key, value]) => [key, maskSecret(value)])),
      public: {},
      loadedAt: this.#loadedAt,
      changedAt: this.#changedAt,
    };
  }

  /** A secret as InfisicalService serves it now. */
  @Get('secrets/:name')
  secret(@Param('name') name: string): MaskedSecret {
    const value = this.infisical.get(name);
    if (value === undefined) throw new NotFoundException(`No secret named ${name}`);
    return masked(name, value);
  }

  /** A secret as ConfigService holds it (loaded once, at boot, by infisicalConfig). */
  @Get('config/:name')
  configValue(@Param('name') name: string): MaskedSecret {
    const value = this.config.get<string>(name);
    if (value === undefined) throw new NotFoundException(`No config value named ${name}`);
    return masked(name, String(value));
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
