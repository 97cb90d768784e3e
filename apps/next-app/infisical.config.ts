import type { WithInfisicalOptions } from '@infisical/next';

/**
 * The Infisical options of this app, shared by next.config.ts (build, dev) and instrumentation.ts
 * (server start). Connection, project and environment come from INFISICAL_* variables; the cache
 * TTL from INFISICAL_CACHE_TTL.
 */
export const infisicalOptions: WithInfisicalOptions = {
  required: ['SESSION_SECRET', 'NEXT_PUBLIC_GREETING'],
};
