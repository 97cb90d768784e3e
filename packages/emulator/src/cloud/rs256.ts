/**
 * RS256 for the cloud stand-ins: key pairs (generated or from a seed's PEM), fingerprints, JWT
 * signing, decoding and verification, time and audience checks, and the glob matching the
 * machine-identity bindings use.
 *
 * @module cloud/rs256
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';

/** An RSA key pair for RS256. */
export interface RsaKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** A JWT split into its parts (signature not yet checked). */
export interface DecodedJwt {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
}

const b64url = (data: string | Buffer): string => Buffer.from(data).toString('base64url');

/** A fresh 2048-bit RSA key pair (tens of milliseconds: callers create keys lazily). */
export function generateRsaKeyPair(): RsaKeyPair {
  return generateKeyPairSync('rsa', { modulusLength: 2048 });
}

/** A key pair from a PEM private key; throws when it is not an RSA private key. */
export function rsaKeyPairFromPem(pem: string): RsaKeyPair {
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'rsa') throw new Error('not an RSA key');
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

/** The PKCS#8 PEM of a private key (the form GCP JSON keys hold). */
export function pkcs8Pem(key: KeyObject): string {
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** A short, stable id for a public key (hex of its SHA-256, 40 characters, like GCP key ids). */
export function keyFingerprint(key: KeyObject): string {
  return createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 40);
}

/** Signs claims as an RS256 JWT; `header` adds fields such as `kid`. */
export function signRs256(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  privateKey: KeyObject,
): string {
  const input = `${b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', ...header }))}.${b64url(JSON.stringify(claims))}`;
  return `${input}.${b64url(sign('sha256', Buffer.from(input), privateKey))}`;
}

/** Splits a JWT, or undefined when it is not three base64url JSON parts. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [head, body, signature] = parts as [string, string, string];
  try {
    const header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as unknown;
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown;
    if (!isRecord(header) || !isRecord(claims)) return undefined;
    return {
      header,
      claims,
      signingInput: `${head}.${body}`,
      signature: Buffer.from(signature, 'base64url'),
    };
  } catch {
    return undefined;
  }
}

/** Whether the JWT is RS256 and its signature verifies with `publicKey`. */
export function verifyRs256(jwt: DecodedJwt, publicKey: KeyObject): boolean {
  if (jwt.header.alg !== 'RS256') return false;
  return verify('sha256', Buffer.from(jwt.signingInput), publicKey, jwt.signature);
}

/** `expired` when `exp` has passed, `early` when `nbf` is ahead (seconds, with leeway), else undefined. */
export function timeProblem(
  claims: Record<string, unknown>,
  leewaySeconds = 0,
): 'expired' | 'early' | undefined {
  const now = Date.now() / 1000;
  if (typeof claims.exp === 'number' && claims.exp + leewaySeconds <= now) return 'expired';
  if (typeof claims.nbf === 'number' && claims.nbf - leewaySeconds > now) return 'early';
  return undefined;
}

/** The `aud` claim as a list. */
export function audiences(claims: Record<string, unknown>): string[] {
  const aud = claims.aud;
  if (typeof aud === 'string') return [aud];
  return Array.isArray(aud) ? aud.filter((item): item is string => typeof item === 'string') : [];
}

/** A `*` glob (the only wildcard) as an anchored test. */
export function globMatch(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return pattern === value;
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`).test(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
