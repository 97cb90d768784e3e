import { timingSafeEqual } from 'node:crypto';
import { type InfisicalMiddleware, isInfisicalError } from '@infisical/express';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { mask } from './mask.js';
import { sessionSigner } from './session.js';

/** The secrets `/secrets` shows, masked. */
const SHOWN = ['API_TOKEN', 'SESSION_SECRET', 'DB_PASSWORD', 'DATABASE_URL', 'PAYMENTS_KEY'];

/** The example app: every route after `app.use(secrets)` reads `req.secrets`. */
export function createApp(secrets: InfisicalMiddleware): Express {
  const app = express();
  const signSession = sessionSigner(secrets);

  // Liveness does not depend on Infisical: mounted before the middleware.
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.use(secrets);

  app.get('/', (_req, res) => {
    res.json({
      routes: {
        '/secrets': 'masked secrets from req.secrets (length and last 2 characters)',
        '/api/data': 'needs Authorization: Bearer <API_TOKEN>',
        '/session': 'a session id signed with SESSION_SECRET',
        '/health': 'liveness',
      },
    });
  });

  app.get('/secrets', (req, res) => {
    res.json({
      greeting: req.secrets.PUBLIC_GREETING ?? null,
      keys: Object.keys(req.secrets).length,
      secrets: Object.fromEntries(SHOWN.map((key) => [key, mask(req.secrets[key])])),
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
