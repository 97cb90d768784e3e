import type { InfisicalRuntimeOptions } from '@infisical/next/runtime';

/**
 * The keys this app cannot do without. Connection, project and environment come from the
 * INFISICAL_* variables; the cache TTL from INFISICAL_CACHE_TTL.
 *
 * - next.config.ts (build, dev) requires the public key: it is inlined into client code now. A
 *   build without credentials (INFISICAL_SKIP=true) must then have it in its environment.
 * - instrumentation.ts (server start) requires the private key too.
 */
export const buildRequired = ['NEXT_PUBLIC_GREETING'] as const;

/** The options of `register()` at server start. */
export const runtimeOptions: InfisicalRuntimeOptions = {
  required: ['SESSION_SECRET', ...buildRequired],
};
