import { createHmac, randomUUID } from 'node:crypto';
import type { InfisicalMiddleware } from '@infisical/express';

/**
 * Issues session ids signed with SESSION_SECRET: code without a `req`, so it reads the secret
 * through the middleware's `getOrThrow` (the current value, rotation included).
 */
export function sessionSigner(secrets: InfisicalMiddleware): () => string {
  return () => {
    const key = secrets.getOrThrow('SESSION_SECRET');
    const id = randomUUID();
    return `${id}.${createHmac('sha256', key).update(id).digest('base64url')}`;
  };
}
