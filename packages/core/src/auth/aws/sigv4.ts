/**
 * AWS Signature Version 4 (header signing) on Web Crypto, so it runs on every runtime. It follows
 * the published algorithm and `@smithy/signature-v4`'s choices for non-S3 services: the path is
 * normalised and encoded twice, the query sorted, every header signed except the unsignable ones.
 *
 * @module
 */

/** AWS credentials: a key pair and, for temporary credentials, a session token. */
export interface AwsCredentials {
  /** Access key id, e.g. `AKIA…` or `ASIA…`. Env: `AWS_ACCESS_KEY_ID`. */
  accessKeyId: string;
  /** Secret access key. Env: `AWS_SECRET_ACCESS_KEY`. */
  secretAccessKey: string;
  /** Session token of temporary credentials. Env: `AWS_SESSION_TOKEN`. */
  sessionToken?: string | undefined;
}

/** The request to sign. */
export interface SigV4Request {
  method: string;
  /** Absolute URL; its host is signed as `host` unless `headers` has one. */
  url: string;
  /** Headers to send and sign, in any case. */
  headers: Record<string, string>;
  /** The body; empty when left out. */
  body?: string;
}

/** How to sign. */
export interface SigV4Options {
  credentials: AwsCredentials;
  region: string;
  /** Signing name of the service, e.g. `sts`. */
  service: string;
  /** The signing time. @default new Date() */
  date?: Date;
  /**
   * Add and sign `x-amz-content-sha256`, as `@smithy/signature-v4` does by default (and so the
   * official Node SDK's signed STS request carries it).
   * @default false
   */
  contentSha256?: boolean;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';

/** Headers `@smithy/signature-v4` never signs (proxies may change them). */
const UNSIGNABLE = new Set([
  'authorization',
  'cache-control',
  'connection',
  'expect',
  'from',
  'keep-alive',
  'max-forwards',
  'pragma',
  'referer',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'user-agent',
  'x-amzn-trace-id',
]);

const encoder = /* @__PURE__ */ new TextEncoder();

/**
 * Signs a request: returns its headers plus `x-amz-date`, `x-amz-security-token` (temporary
 * credentials), `x-amz-content-sha256` (when asked) and `authorization`.
 */
export async function signSigV4(
  request: SigV4Request,
  options: SigV4Options,
): Promise<Record<string, string>> {
  const url = new URL(request.url);
  const body = request.body ?? '';
  const { longDate, shortDate } = formatDate(options.date ?? new Date());
  const headers: Record<string, string> = { ...request.headers };
  const has = (name: string) => Object.keys(headers).some((key) => key.toLowerCase() === name);
  if (!has('host')) headers.host = url.host;
  headers['x-amz-date'] = longDate;
  if (options.credentials.sessionToken)
    headers['x-amz-security-token'] = options.credentials.sessionToken;
  const payloadHash = await sha256Hex(body);
  if (options.contentSha256 && !has('x-amz-content-sha256'))
    headers['x-amz-content-sha256'] = payloadHash;

  const canonical = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    if (!UNSIGNABLE.has(key)) canonical.set(key, value.trim().replace(/\s+/g, ' '));
  }
  const names = [...canonical.keys()].sort();
  const signedHeaders = names.join(';');
  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalPath(url.pathname),
    canonicalQuery(url.search),
    names.map((name) => `${name}:${canonical.get(name)}\n`).join(''),
    signedHeaders,
    payloadHash,
  ].join('\n');
  const scope = `${shortDate}/${options.region}/${options.service}/aws4_request`;
  const stringToSign = [ALGORITHM, longDate, scope, await sha256Hex(canonicalRequest)].join('\n');
  const key = await deriveSigningKey(
    options.credentials.secretAccessKey,
    shortDate,
    options.region,
    options.service,
  );
  const signature = hex(await hmac(key, stringToSign));
  headers.authorization =
    `${ALGORITHM} Credential=${options.credentials.accessKeyId}/${scope}, ` +
    `SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
}

/** The SigV4 signing key: HMAC chain over `AWS4<secret>`, date, region, service, `aws4_request`. */
export async function deriveSigningKey(
  secretAccessKey: string,
  shortDate: string,
  region: string,
  service: string,
): Promise<Uint8Array<ArrayBuffer>> {
  let key = encoder.encode(`AWS4${secretAccessKey}`);
  for (const part of [shortDate, region, service, 'aws4_request']) key = await hmac(key, part);
  return key;
}

/** Lower-case hex SHA-256 of a UTF-8 string. */
export async function sha256Hex(text: string): Promise<string> {
  return hex(new Uint8Array(await subtle().digest('SHA-256', encoder.encode(text))));
}

/** Lower-case hex of bytes. */
export function hex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

async function hmac(key: Uint8Array<ArrayBuffer>, data: string): Promise<Uint8Array<ArrayBuffer>> {
  const cryptoKey = await subtle().importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  return new Uint8Array(await subtle().sign('HMAC', cryptoKey, encoder.encode(data)));
}

function subtle(): SubtleCrypto {
  const value = globalThis.crypto?.subtle;
  if (!value) throw new TypeError('Web Crypto (globalThis.crypto.subtle) is not available');
  return value;
}

function formatDate(date: Date): { longDate: string; shortDate: string } {
  const longDate = date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
  return { longDate, shortDate: longDate.slice(0, 8) };
}

/** RFC 3986 encoding, as AWS wants it (`encodeURIComponent` plus `!'()*`). */
function escapeUri(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Dot segments and repeated slashes removed, then each segment encoded (a second time). */
function canonicalPath(pathname: string): string {
  const segments: string[] = [];
  for (const segment of pathname.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && pathname.endsWith('/') ? '/' : '';
  return `/${segments.map(escapeUri).join('/')}${trailing}`;
}

function canonicalQuery(search: string): string {
  const pairs: [string, string][] = [];
  for (const part of search.replace(/^\?/, '').split('&')) {
    if (part === '') continue;
    const at = part.indexOf('=');
    const name = decode(at === -1 ? part : part.slice(0, at));
    const value = at === -1 ? '' : decode(part.slice(at + 1));
    pairs.push([escapeUri(name), escapeUri(value)]);
  }
  pairs.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
