/**
 * The Vite plugin: loads the secrets in Vite's config step through the core loader, hands the
 * public ones to client code, keeps `@infisical/vite/server` out of it, follows rotation on the
 * dev server and checks the client build for leaked private values.
 *
 * @module
 */
import { dirname, relative, resolve } from 'node:path';
import { leakCheckSettings, loadSecrets, type Secrets, type SecretsOptions } from '@infisical/core';
import { createLogger, type Logger, type Plugin } from 'vite';
import { explainLoadFailure, PLUGIN_NAME, withoutFrames } from './errors.js';
import { checkClientBuild } from './leak-check.js';
import { inlineEnvReads } from './live-env-reads.js';
import { infisicalEnv, loadSummary } from './load-context.js';
import type { InfisicalViteOptions } from './options.js';
import { publishServerSecrets } from './server-registry.js';
import { writeEnvTypes } from './types-file.js';

const SERVER_MODULE = '@infisical/vite/server';

/**
 * The Infisical plugin for Vite: `plugins: [infisical()]`.
 *
 * In the `config` step (before the plugins after it, the dev server and SSR code run) every
 * secret is written into `process.env`, keeping variables already set unless `overrideEnv`. Only
 * public keys — starting with Vite's `envPrefix` or listed in `publicKeys` — reach client code,
 * as `import.meta.env.KEY`; the rest stay on the server (`@infisical/vite/server`).
 *
 * @throws InfisicalError when loading fails (unless `fallbackToEnv`), and `LEAK_DETECTED` from a
 * build whose client output holds a private value.
 */
export function infisical(options: InfisicalViteOptions = {}): Plugin {
  const { leakCheck, typesFile, env, ...shared } = options;
  const check = leakCheckSettings(leakCheck, PLUGIN_NAME);
  let loaded: Secrets<string> | undefined;
  let logger: Logger = createLogger();
  let root = process.cwd();
  let serving = false;
  let withdraw = (): void => {};

  /** Each public key's value as client code sees it: `process.env`'s (a variable set before wins). */
  const exposed = (): Record<string, string> =>
    Object.fromEntries(
      Object.entries(loaded?.publicValues ?? {}).map(([key, value]) => [
        key,
        process.env[key] ?? value,
      ]),
    );
  const writeTypes = async (): Promise<void> => {
    if (typesFile === false || loaded?.source !== 'infisical') return;
    await writeEnvTypes(resolve(root, typesFile ?? 'src/infisical-env.generated.d.ts'), loaded);
  };
  const stop = (): void => {
    loaded?.close();
    withdraw();
  };

  return {
    name: PLUGIN_NAME,
    enforce: 'pre',

    async config(config, { command, mode }) {
      stop(); // a restarted dev server runs this hook again
      logger = config.customLogger ?? createLogger(config.logLevel);
      root = resolve(config.root ?? '');
      // `vite` and `vite preview` serve (and follow rotation); `vite build` uses one snapshot.
      serving = command === 'serve';
      const loadOptions: SecretsOptions = {
        onError: (error) => logger.warn(`[${PLUGIN_NAME}] ${error.message}`, { timestamp: true }),
        ...(shared as SecretsOptions),
        env: env ?? infisicalEnv(config, mode, root),
        publicPrefixes: [config.envPrefix ?? 'VITE_'].flat(),
        injectEnv: true,
      };
      loaded = await loadSecrets(loadOptions).catch(explainLoadFailure);
      // A build uses one snapshot; with redactLogs the handle stays open (redacting) until it ends.
      if (!serving && !loadOptions.redactLogs) await loaded.close();
      withdraw = publishServerSecrets(loaded);
      logger.info(loadSummary(loaded));
      await writeTypes();
      const define = Object.entries(exposed()).map(([key, value]) => [
        `import.meta.env.${key}`,
        JSON.stringify(value),
      ]);
      return { define: Object.fromEntries(define) };
    },

    configResolved(config) {
      logger = config.logger;
    },

    configureServer(server) {
      loaded?.subscribe((change) => {
        if (change.added.length > 0 || change.removed.length > 0) {
          writeTypes().catch((error: Error) => logger.warn(`[${PLUGIN_NAME}] ${error.message}`));
        }
        if (!change.publicChanged) return; // server-only values: SSR code reads them live
        logger.info(`[${PLUGIN_NAME}] public secrets changed: reloading the page`, {
          timestamp: true,
        });
        for (const environment of Object.values(server.environments)) {
          environment.moduleGraph.invalidateAll();
          environment.hot.send({ type: 'full-reload' });
        }
      });
    },

    resolveId: {
      filter: { id: /^@infisical\/vite\/server$/ },
      handler(id, importer) {
        if (id !== SERVER_MODULE || this.environment.config.consumer !== 'client') return null;
        const from = importer ? ` (imported by ${relative(root, importer)})` : '';
        return this.error(
          `${SERVER_MODULE} holds server-only secrets and cannot be imported from client code${from}. ` +
            'Fix: import it only from server (SSR) code; to show a value in the browser, give its ' +
            'key the envPrefix or list it in publicKeys.',
        );
      },
    },

    // Dev server only: Vite fixes `import.meta.env` at startup; this keeps reads of public keys current.
    transform: {
      filter: { code: 'import.meta.env.' },
      handler(code) {
        if (!serving) return null;
        const next = inlineEnvReads(code, exposed());
        return next === undefined ? null : { code: next, map: null };
      },
    },

    writeBundle: {
      order: 'post',
      sequential: true,
      async handler(output) {
        if (!check || !loaded || this.environment.config.consumer !== 'client') return;
        const dir = output.dir ?? (output.file === undefined ? undefined : dirname(output.file));
        if (dir === undefined) return;
        const where = `the client build (${relative(root, dir) || '.'})`;
        const { error, warnings, checked } = await checkClientBuild(dir, root, where, loaded, {
          ...check,
          publicValues: exposed(),
        });
        for (const warning of warnings) logger.warn(`[${PLUGIN_NAME}] ${warning}`);
        if (error) throw withoutFrames(error);
        logger.info(`[${PLUGIN_NAME}] ✓ no private secret value in ${where} (${checked} checked)`);
      },
    },

    // The dev or preview server closing (or a build ending): stop refreshing, withdraw the values.
    closeBundle: stop,
  };
}
