/**
 * HS256 JSON Web Tokens for identity access tokens, signed with a per-emulator secret as the
 * server signs them with its `AUTH_SECRET`, on the emulator's clock.
 *
 * @module auth/jwt
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A failed verification, with the reason the real server's error handler reports. */
export class JwtError extends Error {
  constructor(readonly reason: 'missing' | 'malformed' | 'invalid' | 'signature' | 'expired') {
    super(reason);
    this.name = 'JwtError';
  }
}

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

/** HS256 JSON Web Tokens signed with a per-emulator secret, like the server's `AUTH_SECRET`. */
export class JwtSigner {
  readonly #secret: Buffer;
  readonly #now: () => number;

  /** `now` is the clock tokens are issued and checked on (ms epoch). */
  constructor(now: () => number = Date.now, secret: Buffer = randomBytes(32)) {
    this.#secret = secret;
    this.#now = now;
  }

  /**
   * Signs a payload; `expiresIn` in seconds (0 or undefined: no `exp`). As `jsonwebtoken`, `iat`
   * is the current whole second and `exp` is `iat + expiresIn`.
   */
  sign(payload: Record<string, unknown>, expiresIn?: number): string {
    const iat = Math.floor(this.#now() / 1000);
    const claims = { ...payload, iat, ...(expiresIn ? { exp: iat + expiresIn } : {}) };
    const head = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`;
    return `${head}.${this.#mac(head)}`;
  }

  /** Verifies signature and expiry, returning the payload; throws `JwtError`. */
  verify(token: string): Record<string, unknown> {
    if (token === '') throw new JwtError('missing');
    const parts = token.split('.');
    if (parts.length !== 3) throw new JwtError('malformed');
    const [header, payload, signature] = parts as [string, string, string];
    let claims: Record<string, unknown>;
    try {
      const head = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as {
        alg?: string;
      };
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      if (typeof claims !== 'object' || claims === null || head.alg === undefined)
        throw new Error('shape');
    } catch {
      // jsonwebtoken: three parts that do not decode are an "invalid token", fewer are "malformed".
      throw new JwtError('invalid');
    }
    const expected = Buffer.from(this.#mac(`${header}.${payload}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given))
      throw new JwtError('signature');
    if (typeof claims.exp === 'number' && Math.floor(this.#now() / 1000) >= claims.exp)
      throw new JwtError('expired');
    return claims;
  }

  #mac(data: string): string {
    return createHmac('sha256', this.#secret).update(data).digest('base64url');
  }
}
