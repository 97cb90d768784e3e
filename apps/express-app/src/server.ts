import { InfisicalError, infisical } from '@infisical/express';
import { createApp } from './app.js';

// Everything Infisical needs comes from INFISICAL_* (site URL, identity, project, environment,
// INFISICAL_CACHE_TTL).
const secrets = infisical({
  onError: (error) =>
    console.warn(`[express-app] Infisical refresh failed (${error.code}); serving the last values`),
});
const port = Number(process.env.PORT ?? 3002);
const host = process.env.HOST ?? '127.0.0.1';

try {
  await secrets.ready();
} catch (error) {
  // Listen anyway: requests get 503 until a later attempt succeeds.
  const { code, message } = InfisicalError.from(error);
  console.warn(
    `[express-app] secrets not loaded (${code}): ${message} Requests answer 503 until a load succeeds.`,
  );
}

const server = createApp(secrets).listen(port, host, () => {
  console.log(`[express-app] listening on http://${host}:${port} (try /api/secrets)`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    // close() revokes the token its login obtained (at most 2 s, never throws).
    server.close(() => void secrets.close().then(() => process.exit(0)));
    server.closeAllConnections();
  });
}
