/**
 * Conformance with captured exchanges of a real Infisical server (the self-hosted release of
 * 2024-10): `fixtures/real-responses` (the first 33) and `fixtures/captures-2024-10`, each replayed
 * against the emulator seeded with the same data, in the order the captures were made.
 *
 * - In `2024-10` mode every exchange must match exactly: status and body, field by field
 *   (placeholders bind to the emulator's values and must stay consistent).
 * - In `latest` mode an exchange may differ only where the version table says so: the fields
 *   newer servers add, and the captures listed in `LATEST_DIFFERS` with the rows that explain them.
 *
 * The fidelity counts are checked against the README.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Behaviours,
  type Emulator,
  SERVER_VERSIONS,
  type ServerVersion,
  startEmulator,
} from '../src/index.ts';
import { ORG_ID } from '../src/state/ids.ts';
import { type Answer, Bindings, differences, loadCapture, replay } from './conformance/replay.ts';
import {
  CAPTURES_2024_10,
  isReset,
  REAL_RESPONSES,
  type Scenario,
  type Step,
  type StepContext,
} from './conformance/scenarios.ts';

/**
 * Where the newest server answers differently, by capture set and capture: the version-table rows
 * that say so. A row also explains a later capture whose difference comes from the state it left
 * (a rename the newest server accepts, an upsert it performs).
 */
const LATEST_DIFFERS: Record<string, Record<string, (keyof Behaviours)[]>> = {
  'shared/api/real-responses': {
    'error-validation-missing-field.json': ['validationStatus', 'projectSlugInBody'],
    'error-validation-bad-query.json': ['validationStatus'],
    'error-validation-update-without-value.json': ['patchRequiresValue'],
    'list-secrets-missing-folder.json': ['listMissingFolder'],
    'list-secrets-missing-environment.json': ['listMissingFolder'],
    'error-404-get-missing-folder.json': ['folderNotFound'],
    'error-404-secret-not-found.json': ['getSecretNotFound'],
    'update-secret.json': ['updateAnswer'],
    'update-secret-rename.json': ['updateAnswer'],
  },
  'captures/2024-10': {
    'update-rename-without-value.json': ['patchRequiresValue'],
    'update-without-value-comment-only.json': ['patchRequiresValue'],
    'rename-references-get-user.json': ['renameRewritesReferences'],
    'rename-references-get-user-expanded.json': ['renameRewritesReferences'],
    'batch-update-mode-upsert-missing-key.json': ['batchUpdateModes'],
    'batch-update-mode-ignore-missing-key.json': ['batchUpdateModes'],
    'batch-update-mode-bogus-missing-key.json': ['batchUpdateModes'],
    'batch-update-mode-bogus.json': ['batchUpdateModes'],
    'batch-update-ok.json': ['batchUpdateModes'],
    'batch-delete-ok.json': ['batchUpdateModes'],
    'batch-create-mode-upsert-existing-key.json': ['batchCreateExisting'],
    'batch-create-existing-keys.json': ['batchCreateExisting'],
    'batch-update-missing-keys-only.json': ['batchUpdateMissing'],
    'batch-update-two-missing-one-existing.json': ['batchUpdateMissing'],
    'get-secret-version-1.json': ['versionOnGet'],
    'get-secret-version-99.json': ['versionOnGet'],
    'get-secret-version-1-of-3.json': ['versionOnGet'],
    'get-secret-version-2-of-3.json': ['versionOnGet'],
    'get-secret-version-3-expanded.json': ['versionOnGet'],
    'get-secret-version-bogus.json': ['validationStatus'],
    'error-text-plain-body.json': ['validationStatus'],
    'error-json-array-body.json': ['validationStatus'],
    'error-login-missing-secret.json': ['validationStatus'],
    'tag-create-invalid-slug.json': ['validationStatus'],
    'client-secret-create-negative-uses.json': ['validationStatus'],
    'client-secret-create-ttl-too-big.json': ['validationStatus'],
    'error-404-get-missing.json': ['getSecretNotFound'],
    'get-secret-padded-stored-key.json': ['getSecretNotFound'],
    'get-secret-from-import-without-flag.json': ['getSecretNotFound'],
    'list-secrets-personal-type.json': ['getSecretNotFound'],
    'list-secrets-path-no-leading-slash.json': ['listMissingFolder'],
    'list-secrets-path-double-slash.json': ['listMissingFolder'],
    'list-secrets-path-empty.json': ['listMissingFolder'],
    'list-secrets-missing-environment.json': ['listMissingFolder'],
    'list-secrets-missing-folder.json': ['listMissingFolder'],
    'list-secrets-missing-folder-imports.json': ['listMissingFolder'],
    'list-secrets-after-folder-delete.json': ['listMissingFolder'],
    'list-secrets-no-project.json': ['listMissingProjectMessage'],
    'get-secret-path-no-leading-slash.json': ['folderNotFound'],
    'create-secret-path-no-leading-slash.json': ['folderNotFound'],
    'get-secret-missing-environment.json': ['folderNotFound'],
    'get-secret-missing-folder.json': ['folderNotFound'],
    'create-secret-missing-folder.json': ['folderNotFound'],
    'create-secret-missing-environment.json': ['folderNotFound'],
    'update-secret-missing-folder.json': ['folderNotFound'],
    'delete-secret-missing-folder.json': ['folderNotFound'],
    'batch-create-missing-folder.json': ['folderNotFound'],
    'batch-update-missing-folder.json': ['folderNotFound'],
    'batch-delete-missing-folder.json': ['folderNotFound'],
    'create-folder-existing.json': ['createExistingFolder'],
    'create-folder-name-with-space.json': ['folderNames'],
    'create-folder-name-with-dot.json': ['folderNames'],
    'create-folder-name-with-slash.json': ['folderNames'],
    'create-folder-empty-name.json': ['folderNames'],
    'folder-rename-invalid-name.json': ['folderNames'],
    'folder-list-root.json': ['folderNames'],
    'folder-get-by-id.json': ['folderNames'],
    'folder-delete-by-id.json': ['folderNames'],
    'create-secret-name-colon.json': ['secretNamesRejectColonSlash'],
    'get-secret-name-colon.json': ['secretNamesRejectColonSlash'],
    'create-secret-name-colon-raw.json': ['secretNamesRejectColonSlash'],
    'create-secret-name-slash.json': ['secretNamesRejectColonSlash'],
    'get-secret-name-slash.json': ['secretNamesRejectColonSlash'],
    'batch-create-name-slash-colon.json': ['secretNamesRejectColonSlash'],
    'list-secrets-odd-names.json': ['secretNamesRejectColonSlash'],
    'error-401-token-ttl-passed-list.json': ['tokenLifetime'],
    'renew-after-ttl-passed.json': ['tokenLifetime'],
    'create-secret-with-missing-tag.json': ['tagNotFoundMessage'],
    'workspace-get-by-slug.json': ['projectNotFound'],
    'workspace-get-unknown.json': ['projectNotFound'],
    'get-secret-reference-cycle-expanded.json': ['referenceExpansion'],
    'get-secret-reference-empty-expanded.json': ['referenceExpansion'],
  },
};

const AUTOMATIC: { pattern: RegExp; row: keyof Behaviours }[] = [
  { pattern: /^\.reqId: not in the real answer$/, row: 'errorRequestId' },
  { pattern: /\.secretValueHidden: not in the real answer$/, row: 'responseFields' },
  { pattern: /\.secretMetadata: not in the real answer$/, row: 'responseFields' },
  { pattern: /^\.secret\.secretPath: not in the real answer$/, row: 'responseFields' },
  { pattern: /^\.details: not in the real answer$/, row: 'permissionDeniedDetails' },
  { pattern: /\.description: not in the real answer$/, row: 'folderDescription' },
];

type Outcome = 'exact' | 'explained' | 'skipped';
const outcomes = new Map<ServerVersion, Map<string, Outcome>>();

function captureFiles(scenario: Scenario): string[] {
  return readdirSync(scenario.folder).filter(
    (file) => file.endsWith('.json') && file !== 'index.json',
  );
}

function stepFile(step: Step): string | undefined {
  return 'capture' in step ? step.capture : 'skip' in step ? step.skip : undefined;
}

for (const version of SERVER_VERSIONS) {
  for (const scenario of [REAL_RESPONSES, CAPTURES_2024_10]) {
    describe(`${scenario.name} replayed in ${version} mode`, () => {
      let emulator: Emulator;
      const bindings = new Bindings();
      const results = outcomes.get(version) ?? new Map<string, Outcome>();
      outcomes.set(version, results);
      const login = async (clientId: string, clientSecret: string): Promise<string> => {
        const res = await fetch(`${emulator.url}/api/v1/auth/universal-auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ clientId, clientSecret }),
        });
        const body = (await res.json()) as { accessToken?: string };
        if (!body.accessToken) throw new Error(`login failed: ${res.status}`);
        return body.accessToken;
      };
      const ctx: StepContext = {
        get emulator() {
          return emulator;
        },
        bindings,
        admin: async (method, path, body) => {
          const res = await fetch(new URL(path, emulator.url), {
            method,
            headers: {
              authorization: `Bearer ${bindings.get('<ACCESS_TOKEN>')}`,
              ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            },
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          });
          const text = await res.text();
          return { status: res.status, body: text ? JSON.parse(text) : undefined };
        },
        login,
      };
      const adminLogin = () =>
        login(bindings.get('<CLIENT_ID>') as string, bindings.get('<CLIENT_SECRET>') as string);

      beforeAll(async () => {
        emulator = await startEmulator({ seed: scenario.seed, serverVersion: version });
        for (const [placeholder, value] of Object.entries(scenario.bindings))
          bindings.set(placeholder, value);
        for (const [placeholder, target] of Object.entries(scenario.aliases ?? {}))
          bindings.alias(placeholder, target);
        bindings.set('<ORG_ID>', ORG_ID);
        bindings.set('<ACCESS_TOKEN>', await adminLogin());
      });
      afterAll(() => emulator?.close());

      it('replays every capture of the set', () => {
        const planned = scenario.steps
          .map(stepFile)
          .filter((file): file is string => file !== undefined);
        expect([...planned].sort()).toEqual(captureFiles(scenario).sort());
      });

      // Setup steps run at the start of the capture that follows them.
      let pending: Step[] = [];
      for (const step of scenario.steps) {
        if (!('capture' in step) && !('skip' in step)) {
          pending.push(step);
          continue;
        }
        const before = pending;
        pending = [];
        if ('skip' in step) {
          it.skip(`${step.skip}: ${step.reason}`, () => {});
          results.set(`${scenario.name}/${step.skip}`, 'skipped');
          continue;
        }
        const capture = loadCapture(scenario.folder, step.capture);
        it(`${step.capture}: ${capture.description ?? ''}`, async () => {
          for (const setup of before) {
            if (isReset(setup)) {
              emulator.reset();
              bindings.set('<ACCESS_TOKEN>', await adminLogin());
            } else if ('run' in setup) await setup.run(ctx);
          }
          const answer: Answer = await replay(emulator, capture, bindings, step.rawBody?.(ctx));
          const diffs = [
            ...(answer.status === capture.status
              ? []
              : [`status: real ${capture.status}, emulator ${answer.status}`]),
            ...differences(capture.body, answer.body, bindings),
          ];
          const key = `${scenario.name}/${step.capture}`;
          if (version === '2024-10') {
            expect(diffs, `${step.capture}: ${answer.text.slice(0, 300)}`).toEqual([]);
            results.set(key, 'exact');
            return;
          }
          const unexplained = diffs.filter(
            (diff) => !AUTOMATIC.some(({ pattern }) => pattern.test(diff)),
          );
          const listed = LATEST_DIFFERS[scenario.name]?.[step.capture];
          if (listed) {
            expect(
              unexplained,
              `${step.capture} is listed as differing (${listed.join(', ')}) but matches`,
            ).not.toEqual([]);
          } else {
            expect(unexplained, `${step.capture}: ${answer.text.slice(0, 300)}`).toEqual([]);
          }
          results.set(key, diffs.length === 0 ? 'exact' : 'explained');
        });
      }
    });
  }
}

describe('a rate-limited request (a fault: the emulator does not count requests per IP)', () => {
  const capture = loadCapture(
    new URL('./fixtures/rate-limit-2024-10/', import.meta.url),
    'rate-limit-secrets-list-41.json',
  );
  for (const version of SERVER_VERSIONS) {
    it(`answers as ${version} does`, async () => {
      const emulator = await startEmulator({ seed: REAL_RESPONSES.seed, serverVersion: version });
      try {
        emulator.injectFault({ route: 'GET /api/v3/secrets/raw', retryAfter: 57, times: 1 });
        const res = await fetch(`${emulator.url}/api/v3/secrets/raw`);
        expect(res.headers.get('retry-after')).toBe('57');
        const body = await res.json();
        if (version === '2024-10') {
          expect(res.status).toBe(capture.status);
          expect(body).toEqual(capture.body);
        } else {
          // The rateLimitStatus row: newer servers answer 429.
          expect(res.status).toBe(429);
          expect(body).toMatchObject({ statusCode: 429, error: 'RateLimitExceeded' });
        }
      } finally {
        await emulator.close();
      }
    });
  }
});

describe('measured fidelity', () => {
  it('is what the README states', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const count = (version: ServerVersion, outcome: Outcome) =>
      [...(outcomes.get(version)?.values() ?? [])].filter((value) => value === outcome).length;
    const replayed = count('2024-10', 'exact');
    const skipped = count('2024-10', 'skipped');
    const sentence =
      `Of ${replayed + skipped} captured exchanges, ${replayed} are replayed (${skipped} need what the emulator does not emulate): ` +
      `in \`2024-10\` mode all ${replayed} match exactly; in \`latest\` mode ${count('latest', 'exact')} match exactly ` +
      `and ${count('latest', 'explained')} differ only where the version table says so.`;
    expect(readme).toContain(sentence);
  });
});
