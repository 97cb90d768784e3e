import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Emulator, SeedInput } from '@infisical/emulator';
import { startTestEmulator } from 'test-utils';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { silentLogger } from '../src/api/logger.ts';
import { Transport } from '../src/api/transport.ts';
import type { AccessTokenGrant, AuthContext, AuthMethod } from '../src/auth/auth-method.ts';
import { type InfisicalError, isInfisicalError } from '../src/errors/infisical-error.ts';

/** Project of the cloud-auth test seed. */
export const PROJECT_ID = '3c1d6f0a-0000-4000-8000-0000000c10d1';

/** AWS principals of the seed (fake values; the tests check none of them leaks into errors). */
export const AWS = {
  ci: {
    accountId: '111122223333',
    arn: 'arn:aws:iam::111122223333:user/ci',
    accessKeyId: 'AKIACORETESTCI000001',
    secretAccessKey: 'fake-core-ci-secret-access-key',
  },
  web: {
    accountId: '111122223333',
    arn: 'arn:aws:sts::111122223333:assumed-role/web-role/i-0core',
    accessKeyId: 'ASIACORETESTWEB00001',
    secretAccessKey: 'fake-core-web-secret-access-key',
    sessionToken: 'fake-core-web-session-token',
    imdsRole: 'web-role',
  },
  task: {
    accountId: '444455556666',
    arn: 'arn:aws:sts::444455556666:assumed-role/task-role/ecs-task',
    accessKeyId: 'ASIACORETESTTASK0001',
    secretAccessKey: 'fake-core-task-secret-access-key',
    sessionToken: 'fake-core-task-session-token',
    ecs: true,
  },
  outsider: {
    accountId: '999988887777',
    arn: 'arn:aws:iam::999988887777:user/outsider',
    accessKeyId: 'AKIACORETESTOUT00001',
    secretAccessKey: 'fake-core-outsider-secret-key',
  },
} as const;

export const AWS_REGION = 'eu-central-1';
export const ECS_TOKEN = 'fake-core-ecs-authorization-token';
export const GCP_SA = 'app@core-tests.iam.gserviceaccount.com';
export const GCP_STRANGER_SA = 'stranger@core-tests.iam.gserviceaccount.com';
export const AZURE_PRINCIPAL = '5e1c0d2a-3333-4b7c-8d9e-00000000c0a2';

const admin = { 'auth-tests': 'admin' } as const;

/** Identity ids are fixed so env-var tests can name them. */
export const IDS = {
  aws: '00000000-0000-4000-8000-00000000a001',
  gce: '00000000-0000-4000-8000-00000000a002',
  gcpIam: '00000000-0000-4000-8000-00000000a003',
  azure: '00000000-0000-4000-8000-00000000a004',
  kubernetes: '00000000-0000-4000-8000-00000000a005',
  oidc: '00000000-0000-4000-8000-00000000a006',
  jwt: '00000000-0000-4000-8000-00000000a007',
} as const;

/** One identity per machine-identity method, and every cloud stand-in. */
export const authSeed: SeedInput = {
  projects: [
    {
      slug: 'auth-tests',
      id: PROJECT_ID,
      environments: [{ slug: 'dev', secrets: { '/': { GREETING: 'hello-from-cloud-auth' } } }],
    },
  ],
  identities: [
    {
      name: 'aws',
      id: IDS.aws,
      awsAuth: { allowedAccountIds: ['111122223333', '444455556666'] },
      projects: admin,
    },
    {
      name: 'gce',
      id: IDS.gce,
      gcpAuth: { type: 'gce', allowedServiceAccounts: [GCP_SA] },
      projects: admin,
    },
    {
      name: 'gcp-iam',
      id: IDS.gcpIam,
      gcpAuth: { type: 'iam', allowedServiceAccounts: [GCP_SA] },
      projects: admin,
    },
    {
      name: 'azure',
      id: IDS.azure,
      azureAuth: { allowedPrincipalIds: [AZURE_PRINCIPAL] },
      projects: admin,
    },
    {
      name: 'kubernetes',
      id: IDS.kubernetes,
      kubernetesAuth: { allowedNamespaces: ['apps'], allowedServiceAccounts: ['web'] },
      projects: admin,
    },
    {
      name: 'oidc',
      id: IDS.oidc,
      oidcAuth: { boundAudiences: ['infisical'], boundSubject: 'repo:acme/*' },
      projects: admin,
    },
    { name: 'jwt', id: IDS.jwt, jwtAuth: { boundSubject: 'ci-job' }, projects: admin },
  ],
  cloud: {
    aws: {
      region: AWS_REGION,
      accounts: [AWS.ci, AWS.web, AWS.task, AWS.outsider],
      ecsAuthorizationToken: ECS_TOKEN,
    },
    gcp: {
      projectId: 'core-tests',
      serviceAccounts: [{ email: GCP_SA }, { email: GCP_STRANGER_SA }],
    },
    azure: { principalId: AZURE_PRINCIPAL },
    kubernetes: {
      serviceAccounts: [
        { namespace: 'apps', name: 'web' },
        { namespace: 'other', name: 'web' },
      ],
    },
  },
};

/** Starts an emulator with the cloud-auth seed. */
export function startAuthEmulator(): Promise<Emulator> {
  return startTestEmulator({ seed: authSeed });
}

/** Temporary files of a test file. */
export type TempFiles = ReturnType<typeof tempFiles>;

/**
 * For a test file: starts the cloud-auth emulator before its tests (reset before each one),
 * and closes it and removes its temporary files after them.
 */
export function useAuthEmulator(): { readonly emulator: Emulator; readonly files: TempFiles } {
  const state = { files: tempFiles() } as { emulator: Emulator; files: TempFiles };
  beforeAll(async () => {
    state.emulator = await startAuthEmulator();
  });
  afterAll(async () => {
    await state.emulator?.close();
    state.files.cleanup();
  });
  beforeEach(() => state.emulator.reset());
  return state;
}

/** What a login method needs, pointed at the emulator, with real `fetch`. */
export function contextFor(emulator: Emulator): AuthContext {
  return {
    transport: new Transport({ siteUrl: emulator.url, retry: { maxRetries: 0 } }),
    fetch: (input, init) => globalThis.fetch(input, init),
    logger: silentLogger,
  };
}

/** Logs in with `method` and proves the token works on `GET /api/v3/secrets/raw`. */
export async function loginAndRead(
  method: AuthMethod,
  emulator: Emulator,
): Promise<AccessTokenGrant> {
  const context = contextFor(emulator);
  const grant = await method.login(context);
  expect(method.renewable).toBe(true);
  const answer = await context.transport.request<{
    secrets: { secretKey: string; secretValue: string }[];
  }>({
    method: 'GET',
    path: '/api/v3/secrets/raw',
    query: { workspaceId: PROJECT_ID, environment: 'dev' },
    token: grant.accessToken,
  });
  expect(answer.secrets.map((secret) => [secret.secretKey, secret.secretValue])).toEqual([
    ['GREETING', 'hello-from-cloud-auth'],
  ]);
  return grant;
}

/** The InfisicalError `promise` rejects with, checked for its code and for leaked values. */
export async function failure(
  promise: Promise<unknown>,
  code: InfisicalError['code'],
  secrets: readonly string[] = [],
): Promise<InfisicalError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isInfisicalError(error)) throw new Error(`expected an InfisicalError, got ${String(error)}`);
  expect(error.code, error.message).toBe(code);
  expectNoLeak(error, secrets);
  return error;
}

/** Neither the message, the JSON form nor the cause chain's messages hold any of `secrets`. */
export function expectNoLeak(error: unknown, secrets: readonly string[]): void {
  const texts = [JSON.stringify(error)];
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    texts.push(current.message, JSON.stringify(current));
    current = current.cause;
  }
  for (const secret of secrets) {
    for (const text of texts) expect(text).not.toContain(secret);
  }
}

/** A temporary directory (`dir`) for token and key files; `cleanup()` removes it. */
export function tempFiles(): {
  dir: string;
  write(name: string, content: string): string;
  cleanup(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'core-auth-'));
  return {
    dir,
    write(name, content) {
      const file = join(dir, name);
      writeFileSync(file, content);
      return file;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A URL where nothing listens: a loopback port that was free a moment ago. */
export async function deadEndpoint(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
