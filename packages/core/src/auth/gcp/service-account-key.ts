/**
 * GCP service-account JSON keys: parsing, the PKCS#8 private key on Web Crypto, and RS256 JWTs.
 * Nothing here ever puts key material into an error.
 *
 * @module
 */
import { decodeBase64, encodeBase64 } from '../../crypto/base64.js';
import { InfisicalError } from '../../errors/infisical-error.js';

/**
 * A GCP service-account JSON key, as GCP downloads it. GCP IAM auth uses `client_email`,
 * `private_key` and `private_key_id`; the other fields are accepted and ignored.
 */
export interface GcpServiceAccountKey {
  /** The service account, e.g. `app@project.iam.gserviceaccount.com`. */
  client_email: string;
  /** PKCS#8 PEM private key (`-----BEGIN PRIVATE KEY-----`). */
  private_key: string;
  /** Id of the key, sent as the assertion's `kid`. */
  private_key_id?: string;
  /** `service_account`. */
  type?: string;
  /** Ignored. */
  project_id?: string;
  /** Ignored. */
  client_id?: string;
  /** Ignored. */
  auth_uri?: string;
  /** Ignored: the token endpoint is the `endpoints.oauthToken` option. */
  token_uri?: string;
  /** Ignored. */
  auth_provider_x509_cert_url?: string;
  /** Ignored. */
  client_x509_cert_url?: string;
  /** Ignored. */
  universe_domain?: string;
}

/** A parsed key: what signing needs. */
export interface ServiceAccountKeyParts {
  clientEmail: string;
  privateKeyPem: string;
  privateKeyId: string | undefined;
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/**
 * Parses a key given as JSON text or an object. `source` names it in errors (`the
 * serviceAccountKey option`, `the file at …`).
 *
 * @throws InfisicalError `CREDENTIALS_UNAVAILABLE` naming the missing or malformed field.
 */
export function parseServiceAccountKey(key: unknown, source: string): ServiceAccountKeyParts {
  let value: unknown = key;
  if (typeof key === 'string') {
    try {
      value = JSON.parse(key);
    } catch {
      throw keyError(`${source} is not valid JSON`);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw keyError(`${source} is not a JSON object`);
  }
  const record = value as Record<string, unknown>;
  const clientEmail = record.client_email;
  const privateKeyPem = record.private_key;
  const privateKeyId = record.private_key_id;
  if (typeof clientEmail !== 'string' || !EMAIL.test(clientEmail)) {
    throw keyError(`${source} has no client_email`);
  }
  if (typeof privateKeyPem !== 'string' || privateKeyPem.trim() === '') {
    throw keyError(`${source} has no private_key`);
  }
  return {
    clientEmail,
    privateKeyPem,
    privateKeyId:
      typeof privateKeyId === 'string' && /^[\x21-\x7e]+$/.test(privateKeyId)
        ? privateKeyId
        : undefined,
  };
}

/**
 * Imports a PKCS#8 PEM RSA private key for RS256 signing.
 *
 * @throws InfisicalError `CREDENTIALS_UNAVAILABLE` for PKCS#1, encrypted or malformed keys.
 */
export async function importRsaPrivateKey(pem: string, source: string): Promise<CryptoKey> {
  const match = /-----BEGIN ([A-Z ]+)-----([\s\S]*?)-----END \1-----/.exec(pem);
  if (match?.[1] !== 'PRIVATE KEY') {
    const kind = match ? `a "${match[1]}" PEM block` : 'no PEM block';
    throw keyError(
      `the private_key of ${source} holds ${kind}, not an unencrypted PKCS#8 "PRIVATE KEY"`,
      'use the JSON key as downloaded from GCP, or convert the key with `openssl pkcs8 -topk8 -nocrypt`',
    );
  }
  let der: Uint8Array<ArrayBuffer>;
  try {
    der = decodeBase64((match[2] as string).replace(/\s+/g, ''));
    return await subtle().importKey(
      'pkcs8',
      der,
      { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      false,
      ['sign'],
    );
  } catch {
    throw keyError(`the private_key of ${source} is not a valid PKCS#8 RSA key`);
  }
}

/** Signs a JWT with RS256 (RSASSA-PKCS1-v1_5, SHA-256). */
export async function signRs256Jwt(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  key: CryptoKey,
): Promise<string> {
  const encoder = new TextEncoder();
  const input = `${base64url(encoder.encode(JSON.stringify({ alg: 'RS256', typ: 'JWT', ...header })))}.${base64url(encoder.encode(JSON.stringify(claims)))}`;
  const signature = await subtle().sign('RSASSA-PKCS1-v1_5', key, encoder.encode(input));
  return `${input}.${base64url(new Uint8Array(signature))}`;
}

/** Base64url without padding. */
export function base64url(bytes: Uint8Array): string {
  return encodeBase64(bytes).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

function subtle(): SubtleCrypto {
  const value = globalThis.crypto?.subtle;
  if (!value) throw new TypeError('Web Crypto (globalThis.crypto.subtle) is not available');
  return value;
}

function keyError(
  problem: string,
  fix = 'pass the JSON key of the service account, as downloaded from GCP',
): InfisicalError {
  return new InfisicalError(
    'CREDENTIALS_UNAVAILABLE',
    `GCP IAM auth cannot use the service account key: ${problem}. Fix: ${fix}.`,
  );
}
