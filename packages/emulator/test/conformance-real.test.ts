/**
 * Conformance with captured answers of a real Infisical server (open-source release of 2024-10,
 * `fixtures/real-responses`, ids and tokens replaced by placeholders). Each request is replayed
 * against the emulator, seeded with the same data, and the answers are compared field by field.
 *
 * The emulator follows the NEWEST server where versions differ; every such difference is listed in
 * `NEWER_SERVER` with its reason, and nothing else may differ.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, type SeedInput, startEmulator } from '../src/index.ts';
import { client } from './helpers.ts';

interface Sample {
  file: string;
  status: number;
  request: string;
  description: string;
}
interface Capture {
  request: {
    method: string;
    path: string;
    query?: Record<string, string>;
    body?: unknown;
    headers?: Record<string, string>;
  };
  status: number;
  body: unknown;
}

const fixtures = new URL('./fixtures/real-responses/', import.meta.url);
const index = JSON.parse(readFileSync(new URL('index.json', fixtures), 'utf8')) as {
  samples: Sample[];
};
const load = (file: string): Capture => JSON.parse(readFileSync(new URL(file, fixtures), 'utf8'));

const PROJECT_ID = '7e1a9c2b-3d4e-4f5a-8b6c-0000000000aa';
const OTHER_PROJECT_ID = '7e1a9c2b-3d4e-4f5a-8b6c-0000000000bb';

/** The data behind the captures (`index.json` → `fixture`). */
const fixtureSeed: SeedInput = {
  projects: [
    {
      slug: 'sdk-test-project',
      id: PROJECT_ID,
      environments: [
        {
          slug: 'dev',
          secrets: {
            '/': {
              DB_HOST: { value: 'localhost', comment: 'database host' },
              DB_PORT: '5432',
              DB_URL: 'postgres://${DB_HOST}:${DB_PORT}/app',
              API_KEY: 'dev-api-key-123',
              CROSS_REF: 'nested=${dev.backend.NESTED_SECRET}',
            },
            '/backend': { NESTED_SECRET: 'nested-value' },
          },
          imports: { '/': [{ environment: 'staging', path: '/' }] },
        },
        {
          slug: 'staging',
          secrets: {
            '/': { SHARED_FROM_STAGING: 'staging-value', DB_HOST: 'staging-db.internal' },
          },
        },
        { slug: 'prod', secrets: { '/': { DB_HOST: 'prod-db.internal' } } },
      ],
    },
    { slug: 'other-project', id: OTHER_PROJECT_ID, environments: ['dev'] },
  ],
  identities: [
    {
      name: 'admin',
      universalAuth: { clientId: 'capture-client-id', clientSecret: 'capture-client-secret' },
      projects: { 'sdk-test-project': 'admin' },
    },
    {
      name: 'viewer',
      universalAuth: { clientId: 'capture-viewer-id', clientSecret: 'capture-viewer-secret' },
      projects: { 'sdk-test-project': 'viewer' },
    },
    {
      name: 'expiring',
      universalAuth: {
        clientId: 'capture-expiring',
        clientSecret: 'capture-expiring-secret',
        accessTokenTTL: 1,
        accessTokenMaxTTL: 1,
      },
      projects: { 'sdk-test-project': 'admin' },
    },
  ],
};

/**
 * Where the newest server (which the emulator follows) answers differently from the 2024 capture.
 * Keyed by capture file: the emulator's status, and the body fields allowed to differ.
 */
const NEWER_SERVER: Record<string, { status?: number; fields?: string[]; reason: string }> = {
  'error-validation-bad-query.json': {
    status: 422,
    fields: ['statusCode'],
    reason: 'schema validation is 422, not 401, since 2025',
  },
  'error-validation-missing-field.json': {
    status: 422,
    fields: ['statusCode'],
    reason: 'schema validation is 422, not 401, since 2025',
  },
  'error-validation-update-without-value.json': {
    status: 200,
    fields: ['*'],
    reason: 'secretValue is optional on update in newer servers (rename alone works)',
  },
  'list-secrets-missing-folder.json': {
    status: 404,
    fields: ['*'],
    reason: 'a missing folder is 404, not an empty 200, in newer servers',
  },
  'list-secrets-missing-environment.json': {
    status: 404,
    fields: ['*'],
    reason: 'a missing environment has no folder: 404 in newer servers',
  },
  'error-404-get-missing-folder.json': {
    fields: ['message', 'error'],
    reason: "newer message: Folder with path '...' in environment with slug '...' not found",
  },
  'error-404-secret-not-found.json': {
    fields: ['message'],
    reason: "newer message: Secret with name '<name>' not found",
  },
  'error-404-delete-missing.json': {
    fields: ['message'],
    reason: "newer message: Secret with name '<name>' not found",
  },
  'update-secret.json': {
    fields: ['secret.secretComment', 'secret.updatedAt'],
    reason: 'the 2024 update answer drops the stored comment; newer servers return it',
  },
  'update-secret-rename.json': {
    fields: ['secret.secretComment', 'secret.updatedAt'],
    reason: 'as update-secret.json',
  },
  'delete-secret.json': {
    fields: ['secret.version', 'secret.updatedAt'],
    reason: 'the rename-only step above is a 200 here, so the secret has one more version',
  },
};

/** Fields newer servers add; the emulator may carry them beyond the capture. */
const ADDED_BY_NEWER_SERVERS = new Set([
  'reqId',
  'secretValueHidden',
  'secretMetadata',
  'secretPath',
  'tags',
  'details',
]);
const PLACEHOLDER = /^<[A-Z0-9_]+>$/;
const ISO_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

let emulator: Emulator;
let api: ReturnType<typeof client>;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  emulator = await startEmulator({ seed: fixtureSeed });
  api = client(emulator);
  tokens['<ACCESS_TOKEN>'] = await api.login('capture-client-id', 'capture-client-secret');
  tokens['<VIEWER_ACCESS_TOKEN>'] = await api.login('capture-viewer-id', 'capture-viewer-secret');
  tokens['<EXPIRED_ACCESS_TOKEN>'] = await api.login('capture-expiring', 'capture-expiring-secret');
  const [head, payload] = (tokens['<ACCESS_TOKEN>'] as string).split('.');
  tokens['<FORGED_JWT>'] = `${head}.${payload}.Zm9yZ2VkLXNpZ25hdHVyZS1ieS1hbm90aGVyLWtleQ`;
  tokens['<MALFORMED_TOKEN>'] = 'this-is-not-a-jwt';
  await new Promise((resolve) => setTimeout(resolve, 2100)); // let the expiring token expire
});
afterAll(() => emulator.close());

/** Replaces placeholders in a captured request with this emulator's values. */
function materialise(value: unknown): unknown {
  if (typeof value === 'string') {
    return value
      .replaceAll('<PROJECT_ID>', PROJECT_ID)
      .replaceAll('<OTHER_PROJECT_ID>', OTHER_PROJECT_ID)
      .replaceAll('<CLIENT_ID>', 'capture-client-id')
      .replaceAll('<CLIENT_SECRET>', 'capture-client-secret')
      .replace(/<[A-Z_]+(?:TOKEN|JWT)>/g, (placeholder) => tokens[placeholder] ?? placeholder);
  }
  if (Array.isArray(value)) return value.map(materialise);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, materialise(v)]));
  }
  return value;
}

/** Field-by-field differences between the capture (`real`) and the emulator's answer. */
function differences(real: unknown, ours: unknown, path = ''): string[] {
  if (typeof real === 'string' && PLACEHOLDER.test(real)) {
    return typeof ours === 'string' && ours.length > 0
      ? []
      : [`${path}: expected an id or token, got ${JSON.stringify(ours)}`];
  }
  if (typeof real === 'string' && ISO_DATE.test(real)) {
    return typeof ours === 'string' && ISO_DATE.test(ours) ? [] : [`${path}: expected an ISO date`];
  }
  if (Array.isArray(real)) {
    if (!Array.isArray(ours) || ours.length !== real.length)
      return [`${path}: expected ${real.length} items, got ${JSON.stringify(ours)?.slice(0, 80)}`];
    const keyed = real.every((item) => item && typeof item === 'object' && 'secretKey' in item);
    return real.flatMap((item, i) => {
      const match = keyed
        ? ours.find((o) => o?.secretKey === (item as { secretKey: string }).secretKey)
        : ours[i];
      return differences(
        item,
        match,
        `${path}[${keyed ? (item as { secretKey: string }).secretKey : i}]`,
      );
    });
  }
  if (real && typeof real === 'object') {
    if (!ours || typeof ours !== 'object') return [`${path}: expected an object`];
    const out: string[] = [];
    for (const [key, value] of Object.entries(real)) {
      if (!(key in ours)) out.push(`${path}.${key}: missing`);
      else
        out.push(...differences(value, (ours as Record<string, unknown>)[key], `${path}.${key}`));
    }
    for (const key of Object.keys(ours)) {
      if (!(key in real) && !ADDED_BY_NEWER_SERVERS.has(key))
        out.push(`${path}.${key}: not in the real answer`);
    }
    return out;
  }
  return real === ours
    ? []
    : [`${path}: real ${JSON.stringify(real)}, emulator ${JSON.stringify(ours)}`];
}

describe('emulator vs captured real responses', () => {
  it('covers every capture', () => {
    expect(index.samples.length).toBe(33);
  });

  for (const sample of index.samples) {
    it(`${sample.file}: ${sample.description}`, async () => {
      const capture = load(sample.file);
      const request = materialise(capture.request) as Capture['request'];
      const auth = request.headers?.Authorization?.replace(/^Bearer /, '');
      const res = await api.call(request.method, request.path, {
        ...(auth ? { token: auth } : {}),
        ...(request.query ? { query: request.query } : {}),
        ...(request.body === undefined ? {} : { body: request.body }),
      });
      const delta = NEWER_SERVER[sample.file];
      expect(res.status, delta?.reason).toBe(delta?.status ?? capture.status);
      if (sample.file === 'error-validation-update-without-value.json') {
        // That rename succeeded here; undo it so the captures that follow see the same data.
        const undo = { ...(request.body as object), newSecretName: 'DB_HOST' };
        expect(
          (await api.call('PATCH', '/api/v3/secrets/raw/X', { token: auth as string, body: undo }))
            .status,
        ).toBe(200);
      }
      if (delta?.fields?.includes('*')) return;
      const allowed = new Set((delta?.fields ?? []).map((f) => `.${f}`));
      const diffs = differences(capture.body, res.body).filter(
        (d) => ![...allowed].some((f) => d.startsWith(`${f}:`)),
      );
      expect(diffs, delta?.reason).toEqual([]);
    });
  }
});
