import type { ServerResponse } from 'node:http';
import { maskSecret } from '@infisical/core';
import { getSecretsHandle, onSecretsChange } from '@infisical/vite/server';
import type { Plugin, PreviewServer, ViteDevServer } from 'vite';

/**
 * `GET /api/secrets` on the dev server and on `vite preview`: a server middleware of the Vite
 * process, which is where `@infisical/vite/server` reads the plugin's live handle. The shape
 * every example app serves: private values masked with core's `maskSecret`, public ones as they
 * are, where they came from and when they changed.
 */
export function secretsEndpoint(): Plugin {
  let loadedAt = '';
  let changedAt: string | null = null;
  const serve = (res: ServerResponse): void => {
    const secrets = getSecretsHandle();
    const values = Object.entries(secrets?.privateValues ?? {});
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        app: 'vite',
        source: secrets?.source,
        values: Object.fromEntries(values.map(([key, value]) => [key, maskSecret(value)])),
        public: { ...secrets?.publicValues },
        loadedAt,
        changedAt,
      }),
    );
  };
  // Both run after the infisical plugin loaded (in its config hook); a restarted dev server runs
  // them again, with the new handle.
  const mount = (server: ViteDevServer | PreviewServer): void => {
    loadedAt = new Date().toISOString();
    onSecretsChange(() => {
      changedAt = new Date().toISOString();
    });
    server.middlewares.use('/api/secrets', (_req, res) => serve(res));
  };
  return {
    name: 'vite-app:secrets-endpoint',
    configureServer: mount,
    configurePreviewServer: mount,
  };
}
