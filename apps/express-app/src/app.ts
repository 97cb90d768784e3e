import { timingSafeEqual } from 'node:crypto';
import { maskSecret } from '@infisical/core';
import { type InfisicalMiddleware, isInfisicalError } from '@infisical/express';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { sessionSigner } from './session.js';

/** The secrets `/secrets` shows, masked. */
const SHOWN = ['API_TOKEN', 'SESSION_SECRET', 'DB_PASSWORD', 'DATABASE_URL', 'PAYMENTS_KEY'];

/** Every value of `values`, masked with core's one mask format. */
function masked(values: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, maskSecret(value)]));
}

/** The example app: every route after `app.use(secrets)` reads `req.secrets`. */
export function createApp(secrets: InfisicalMiddleware): Express {
  const app = express();
  const signSession = sessionSigner(secrets);
  // When this app first served loaded secrets, and when a rotation last reached them.
  let loadedAt = secrets.source === undefined ? null : new Date().toISOString();
  let changedAt: string | null = null;
  secrets.subscribe(() => {
    changedAt = new Date().toISOString();
  });

  // Liveness and the index do not depend on Infisical: mounted before the middleware.
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/', (_req, res) => {
    res.type('html').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Express + Infisical</title></head>
<body><main>
<h1>Express + Infisical</h1>
<p>Secrets from Infisical on <code>req.secrets</code>, through <code>@infisical/express</code>.</p>
<ul>
<li><a href="/api/secrets">/api/secrets</a>: every secret masked, where they came from, when they changed</li>
<li><a href="/secrets">/secrets</a>: a few secrets masked</li>
<li><a href="/session">/session</a>: a session id signed with SESSION_SECRET</li>
<li><code>/api/data</code>: needs <code>Authorization: Bearer &lt;API_TOKEN&gt;</code></li>
<li><a href="/health">/health</a>: liveness</li>
</ul>
</main></body></html>`);
  });

  app.use(secrets, (_req, _res, next) => {
    loadedAt ??= new Date().toISOString();
    next();
  });

  app.get('/api/secrets', (req, res) => {
    res.json({
      app: 'express',
      source: secrets.source,
      values: masked(req.secrets),
      public: {},
      loadedAt,
      changedAt,
    });
  });

  app.get('/secrets', (req, res) => {
    const shown = Object.fromEntries(
      SHOWN.flatMap((key) => {
        const value = req.secrets[key];
        return value === undefined ? [] : [[key, value]];
      }),
    );
    res.json({
      greeting: req.secrets.PUBLIC_GREETING ?? null,
      keys: Object.keys(req.secrets).length,
      secrets: masked(shown),
    });
  });

  app.get('/api/data', (req, res) => {
    const expected = Buffer.from(`Bearer ${req.secrets.API_TOKEN ?? ''}`);
    const given = Buffer.from(req.get('authorization') ?? '');
    if (
      !req.secrets.API_TOKEN ||
      given.length !== expected.length ||
      !timingSafeEqual(given, expected)
    ) {
      res
        .status(401)
        .json({ error: 'UNAUTHORIZED', message: 'Send Authorization: Bearer <API_TOKEN>.' });
      return;
    }
    res.json({ data: 'only for holders of the current API_TOKEN' });
  });

  app.get('/session', (_req, res) => {
    res.json({ session: signSession() });
  });

  // Secrets not loaded (Infisical down at start): 503 with Retry-After, the cause named.
  const errors: ErrorRequestHandler = (error, _req, res, _next) => {
    if (isInfisicalError(error)) {
      const { headers } = error as { headers?: Record<string, string> };
      res.set(headers ?? {}).status(error.status ?? 500);
      res.json({ error: error.code, message: error.message });
      return;
    }
    console.error('[express-app] request failed:', error instanceof Error ? error.name : 'error');
    res.status(500).json({ error: 'INTERNAL', message: 'The request failed.' });
  };
  app.use(errors);
  return app;
}
