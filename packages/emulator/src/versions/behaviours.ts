/**
 * The one table of behaviours that differ between the server versions the emulator speaks. Each
 * row names the behaviour, what each version does and where that fact comes from (a captured
 * exchange of the real 2024-10 server, its source at commit 09d28156, or the newest server's
 * source / PR). The rest of the emulator reads these values; nothing else looks at the version.
 *
 * @module versions/behaviours
 */

/** The Infisical server generations the emulator can answer as. */
export type ServerVersion = 'latest' | '2024-10';

/** Every supported version, the default first. */
export const SERVER_VERSIONS: readonly ServerVersion[] = ['latest', '2024-10'];

/** Where a missing folder or environment leaves a request: which error `name` each route throws. */
export type FolderRoute =
  | 'get'
  | 'create'
  | 'update'
  | 'delete'
  | 'batchCreate'
  | 'batchUpdate'
  | 'batchDelete';

/** An error answer a behaviour prescribes. */
export interface ErrorAnswer {
  status: number;
  error: string;
  message: string;
}

/** The behaviours of one server version (see {@link BEHAVIOUR_ROWS} for what each means). */
export interface Behaviours {
  errorRequestId: boolean;
  validationStatus: 401 | 422;
  permissionDeniedDetails: boolean;
  rateLimitStatus: 429 | 500;
  v4Routes: boolean;
  viewSecretValueParam: boolean;
  secretNamesRejectColonSlash: boolean;
  patchRequiresValue: boolean;
  renameRewritesReferences: boolean;
  referenceExpansion: 'depth-limited' | 'cycle-aware';
  batchUpdateModes: boolean;
  batchUpdateMissing: (foundKeys: string[], path: string) => string;
  batchCreateExisting: (existingKeys: string[]) => string;
  getSecretNotFound: (name: string) => string;
  folderNotFound: (route: FolderRoute, environment: string, path: string) => ErrorAnswer;
  listMissingFolder: (environment: string, path: string) => ErrorAnswer | 'empty';
  listMissingProjectMessage: string;
  responseFields: {
    /** `secretValueHidden` on listed and fetched secrets. */
    valueHidden: boolean;
    /** `secretMetadata` on listed and fetched secrets. */
    secretMetadata: boolean;
    /** `secretPath` on a secret fetched by name. */
    pathOnGet: boolean;
  };
  versionOnGet: 'ignored' | 'honoured';
  listOrder: 'id' | 'key';
  importResolution: 'recursive-first-import' | 'stack-walk';
  tokenLifetime: 'jwt-max-ttl' | 'jwt-ttl';
  renewIssuesNewToken: boolean;
  createExistingFolder: 'return-existing' | 'conflict';
  folderNames: 'unchecked' | 'validated';
  projectNotFound: (ref: string) => ErrorAnswer;
  folderDescription: boolean;
  updateAnswer: 'input' | 'stored';
  projectSlugInBody: boolean;
  tagNotFoundMessage: string;
}

/** One row of the table: a behaviour, its value per version, a short rendering and the sources. */
export interface BehaviourRow<K extends keyof Behaviours = keyof Behaviours> {
  key: K;
  /** What the behaviour is, as the README table's first column. */
  title: string;
  values: Record<ServerVersion, Behaviours[K]>;
  /** What each version does, in words (the README cells). */
  shows: Record<ServerVersion, string>;
  /** Where each fact comes from. `follows 2024-10` marks a newest behaviour not found in its source. */
  source: Record<ServerVersion, string>;
}

const row = <K extends keyof Behaviours>(definition: BehaviourRow<K>): BehaviourRow<K> =>
  definition;

const CAPTURE = (file: string): string => `capture \`${file}\``;
const FOLDER_NOT_FOUND_2024 = 'Folder not found for the given environment slug & secret path';
/** The error `name` each 2024-10 route gives a missing folder (`secret-v2-bridge-service.ts`). */
const FOLDER_ERROR_NAMES_2024: Record<FolderRoute, string> = {
  get: 'Create secret',
  create: 'Create secret',
  update: 'UpdateSecret',
  delete: 'Delete secret',
  batchCreate: 'Create secret',
  batchUpdate: 'Update secret',
  batchDelete: 'Create secret',
};

/** The rows, in the order the README shows them. */
export const BEHAVIOUR_ROWS: readonly BehaviourRow[] = [
  row({
    key: 'errorRequestId',
    title: 'error bodies carry `reqId`',
    values: { '2024-10': false, latest: true },
    shows: { '2024-10': 'no: `{ statusCode, message, error }`', latest: 'yes: `reqId` first' },
    source: {
      '2024-10': `${CAPTURE('error-404-get-missing.json')} (every error capture)`,
      latest: '`backend/src/server/plugins/error-handler.ts` (`reqId: req.id`)',
    },
  }),
  row({
    key: 'validationStatus',
    title: 'schema validation failure',
    values: { '2024-10': 401, latest: 422 },
    shows: { '2024-10': '401 `ValidationFailure`', latest: '422 `ValidationFailure`' },
    source: {
      '2024-10': CAPTURE('error-login-missing-secret.json'),
      latest: 'Infisical PR #2828; `error-handler.ts` (`UnprocessableContent`)',
    },
  }),
  row({
    key: 'permissionDeniedDetails',
    title: '403 `PermissionDenied` lists the rules',
    values: { '2024-10': false, latest: true },
    shows: { '2024-10': 'no `details`', latest: '`details`: the rules of the action' },
    source: {
      '2024-10': 'real-responses `error-403-viewer-create.json`',
      latest: '`error-handler.ts` (`details: ability.rulesFor(...)`)',
    },
  }),
  row({
    key: 'rateLimitStatus',
    title: 'a rate-limited request',
    values: { '2024-10': 500, latest: 429 },
    shows: {
      '2024-10': '500 `InternalServerError` with `retry-after` (the limiter error falls through)',
      latest: '429 `RateLimitExceeded` with `retry-after`',
    },
    source: {
      '2024-10': CAPTURE('rate-limit-secrets-list-41.json'),
      latest: '`error-handler.ts` (`RateLimitError` → 429)',
    },
  }),
  row({
    key: 'v4Routes',
    title: '`/api/v4/secrets` routes',
    values: { '2024-10': false, latest: true },
    shows: { '2024-10': 'absent (route 404)', latest: 'present' },
    source: {
      '2024-10': 'no `backend/src/server/routes/v4/` at 09d28156',
      latest: '`backend/src/server/routes/v4/secret-router.ts`',
    },
  }),
  row({
    key: 'viewSecretValueParam',
    title: '`viewSecretValue=false` masks values',
    values: { '2024-10': false, latest: true },
    shows: { '2024-10': 'parameter unknown (ignored): values shown', latest: 'masked' },
    source: {
      '2024-10': 'v3 `secret-router.ts` query schema at 09d28156 (no such field)',
      latest: '`secret-fns.ts` `INFISICAL_SECRET_VALUE_HIDDEN_MASK`',
    },
  }),
  row({
    key: 'secretNamesRejectColonSlash',
    title: 'secret names with `:` or `/`',
    values: { '2024-10': false, latest: true },
    shows: { '2024-10': 'accepted', latest: '422 (`SecretNameSchema`)' },
    source: {
      '2024-10': CAPTURE('create-secret-name-slash.json'),
      latest: '`backend/src/server/lib/schemas.ts` `SecretNameSchema`',
    },
  }),
  row({
    key: 'patchRequiresValue',
    title: 'PATCH without `secretValue` (rename or comment only)',
    values: { '2024-10': true, latest: false },
    shows: { '2024-10': '401 `ValidationFailure`, path `secretValue`', latest: 'accepted' },
    source: {
      '2024-10': CAPTURE('update-rename-without-value.json'),
      latest: 'v3 `deprecated-secret-router.ts` (`secretValue` optional)',
    },
  }),
  row({
    key: 'renameRewritesReferences',
    title: 'rename and `${OLD}` references elsewhere',
    values: { '2024-10': false, latest: true },
    shows: { '2024-10': 'left literal', latest: 'rewritten to the new name, as new versions' },
    source: {
      '2024-10': CAPTURE('rename-references-get-user.json'),
      latest: 'Infisical PR #5344 (`fnUpdateSecretLinkedReferences`)',
    },
  }),
  row({
    key: 'referenceExpansion',
    title: 'reference expansion',
    values: { '2024-10': 'depth-limited', latest: 'cycle-aware' },
    shows: {
      '2024-10':
        'any `${…}`; a cycle unrolls 11 levels deep; an empty value stays literal; a reference into a missing folder leaves the list value unexpanded and fails a get with 500',
      latest:
        '`${[\\w.-]}` only; stops at a cycle; an existing empty value expands to `""`; a missing folder is a missing reference; a user\'s personal values win',
    },
    source: {
      '2024-10': '`secret-v2-bridge-fns.ts` `expandSecretReferencesFactory` at 09d28156',
      latest: '`secret-reference-fns.ts` (visited set; PR #6844 for empty values)',
    },
  }),
  row({
    key: 'batchUpdateModes',
    title: 'batch update `mode` (`upsert`, `ignore`) and per-item `secretPath`',
    values: { '2024-10': false, latest: true },
    shows: {
      '2024-10': 'ignored (any `mode` accepted; a missing key is a 404); `secretValue` required',
      latest: 'honoured; a bogus `mode` is a validation error',
    },
    source: {
      '2024-10': CAPTURE('batch-update-mode-upsert-missing-key.json'),
      latest: '`secret-v2-bridge-types.ts` `SecretUpdateMode`',
    },
  }),
  row({
    key: 'batchUpdateMissing',
    title: 'batch update with a missing key',
    values: {
      '2024-10': (found) => `Secret does not exist: ${found.join(',')}`,
      latest: (found, path) => `Secret does not exist: ${found.join(',')} in path ${path}`,
    },
    shows: {
      '2024-10': '404 `Secret does not exist: <the keys that DO exist>`',
      latest: '404, the same message with ` in path <path>`',
    },
    source: {
      '2024-10': CAPTURE('batch-update-two-missing-one-existing.json'),
      latest: 'INFISICAL-API.md §8.1',
    },
  }),
  row({
    key: 'batchCreateExisting',
    title: 'batch create of keys that exist',
    values: {
      '2024-10': (keys) => `Secret already exist: ${keys.join(',')}`,
      latest: (keys) => `Secret already exists: ${keys.join(',')}`,
    },
    shows: {
      '2024-10': '400 `Secret already exist: A,B`',
      latest: '400 `Secret already exists: A,B`',
    },
    source: {
      '2024-10': CAPTURE('batch-create-existing-keys.json'),
      latest: 'INFISICAL-API.md §2.4 (`createManySecret`)',
    },
  }),
  row({
    key: 'getSecretNotFound',
    title: 'get of a missing secret',
    values: {
      '2024-10': () => 'Secret not found',
      latest: (name) => `Secret with name '${name}' not found`,
    },
    shows: {
      '2024-10': '404 `Secret not found`',
      latest: "404 `Secret with name '<X>' not found`",
    },
    source: {
      '2024-10': CAPTURE('error-404-get-missing.json'),
      latest: '`secret-v2-bridge-service.ts` `getSecretByName`',
    },
  }),
  row({
    key: 'folderNotFound',
    title: 'get / write in a missing folder or environment',
    values: {
      '2024-10': (route) => ({
        status: 404,
        error: FOLDER_ERROR_NAMES_2024[route],
        message: FOLDER_NOT_FOUND_2024,
      }),
      latest: (_route, environment, path) => ({
        status: 404,
        error: 'NotFound',
        message: `Folder with path '${path}' in environment with slug '${environment}' not found`,
      }),
    },
    shows: {
      '2024-10':
        '404 `Folder not found for the given environment slug & secret path`, `error` a route name (`Create secret`, `UpdateSecret`, …)',
      latest: "404 `Folder with path '<p>' in environment with slug '<e>' not found`",
    },
    source: {
      '2024-10': CAPTURE('update-secret-missing-folder.json'),
      latest: '`secret-service.ts` (newest) message; the `error` name follows no source found',
    },
  }),
  row({
    key: 'listMissingFolder',
    title: 'list in a missing folder or environment',
    values: {
      '2024-10': () => 'empty' as const,
      latest: (environment, path) => ({
        status: 404,
        error: 'SecretPathNotFound',
        message: `Folder with path '${path}' in environment '${environment}' was not found. Please ensure the environment slug and secret path is correct.`,
      }),
    },
    shows: {
      '2024-10': '200 `{ secrets: [], imports: [] }`',
      latest: '404 `SecretPathNotFound`',
    },
    source: {
      '2024-10': CAPTURE('list-secrets-missing-environment.json'),
      latest: '`secret-v2-bridge-service.ts` `getSecrets` (`SecretPathNotFound`)',
    },
  }),
  row({
    key: 'listMissingProjectMessage',
    title: 'list without a project',
    values: {
      '2024-10': 'Missing workspace id or environment',
      latest: 'Missing project id or environment',
    },
    shows: {
      '2024-10': '400 `Missing workspace id or environment`',
      latest: '400 `Missing project id or environment`',
    },
    source: {
      '2024-10': CAPTURE('list-secrets-no-project.json'),
      latest: 'v3 `deprecated-secret-router.ts`',
    },
  }),
  row({
    key: 'responseFields',
    title: 'response fields of a secret',
    values: {
      '2024-10': { valueHidden: false, secretMetadata: false, pathOnGet: false },
      latest: { valueHidden: true, secretMetadata: true, pathOnGet: true },
    },
    shows: {
      '2024-10': 'no `secretValueHidden`, `secretMetadata`; no `secretPath` on get',
      latest: '`secretValueHidden`, `secretMetadata`, `secretPath` on get',
    },
    source: {
      '2024-10': CAPTURE('get-secret.json'),
      latest: '`sanitizedSchemas.ts` `secretRawSchema` and the v3 response schemas',
    },
  }),
  row({
    key: 'versionOnGet',
    title: '`version` on get by name',
    values: { '2024-10': 'ignored', latest: 'honoured' },
    shows: {
      '2024-10': 'ignored: the current version comes back (a non-number is a validation error)',
      latest: 'the requested version',
    },
    source: {
      '2024-10': CAPTURE('get-secret-version-1.json'),
      latest: 'not confirmed in the newest source; kept from the emulator before versions',
    },
  }),
  row({
    key: 'listOrder',
    title: 'order of listed secrets',
    values: { '2024-10': 'id', latest: 'key' },
    shows: { '2024-10': 'by row id', latest: 'by key' },
    source: {
      '2024-10': '`secret-v2-bridge-dal.ts` `findByFolderIds` (`orderBy("id")`)',
      latest: '`secret-v2-bridge-dal.ts` (`SecretsOrderBy.Name` default)',
    },
  }),
  row({
    key: 'importResolution',
    title: 'secrets of imports (`imports[]`)',
    values: { '2024-10': 'recursive-first-import', latest: 'stack-walk' },
    shows: {
      '2024-10':
        'by row id, always de-duplicated by key; only the first import of an imported folder is followed; a missing source shifts the secrets of the imports after it',
      latest:
        'by key; de-duplicated only when expanding; every import of an imported folder followed, but what lies two or more levels down is lost; a missing source gives an empty entry',
    },
    source: {
      '2024-10': '`secret-import-fns.ts` `fnSecretsV2FromImports` at 09d28156',
      latest: '`secret-import-fns.ts` `fnSecretsV2FromImports` (stack walk)',
    },
  }),
  row({
    key: 'tokenLifetime',
    title: 'access-token lifetime',
    values: { '2024-10': 'jwt-max-ttl', latest: 'jwt-ttl' },
    shows: {
      '2024-10':
        'the JWT expires at the max TTL; past the TTL (from login or the last renew) a request is 401 and the token is deleted',
      latest: 'the JWT expires at the TTL (capped by the max TTL)',
    },
    source: {
      '2024-10': `${CAPTURE('error-401-token-ttl-passed-list.json')}; \`identity-ua-service.ts\``,
      latest: '`identity-access-token-service.ts` `computeIssuedTtl` (INFISICAL-API.md §1.3)',
    },
  }),
  row({
    key: 'renewIssuesNewToken',
    title: 'renew answers',
    values: { '2024-10': false, latest: true },
    shows: { '2024-10': 'the same JWT', latest: 'a new JWT for the same token' },
    source: {
      '2024-10': CAPTURE('renew-token.json'),
      latest: '`identity-access-token-service.ts` (INFISICAL-API.md §1.3)',
    },
  }),
  row({
    key: 'createExistingFolder',
    title: 'creating a folder that exists',
    values: { '2024-10': 'return-existing', latest: 'conflict' },
    shows: { '2024-10': '200, the existing folder', latest: '400 already exists' },
    source: {
      '2024-10': CAPTURE('create-folder-existing.json'),
      latest: 'INFISICAL-API.md §8.1',
    },
  }),
  row({
    key: 'folderNames',
    title: 'folder names with a space, a dot or a slash',
    values: { '2024-10': 'unchecked', latest: 'validated' },
    shows: {
      '2024-10':
        'not checked on create/rename; any later path through them is 500 `Find by secret path`',
      latest: '422: letters, digits, `-` and `_` only',
    },
    source: {
      '2024-10': CAPTURE('create-folder-name-with-space.json'),
      latest: '`secret-folder-router.ts` `isValidFolderName`',
    },
  }),
  row({
    key: 'projectNotFound',
    title: '`GET /api/v1/workspace/:id` of a missing project',
    values: {
      '2024-10': () => ({
        status: 500,
        error: 'Failed to find project by id',
        message: 'Something went wrong',
      }),
      latest: (ref) => ({
        status: 404,
        error: 'NotFound',
        message: `Project with ID '${ref}' not found`,
      }),
    },
    shows: {
      '2024-10': '500 `Failed to find project by id`',
      latest: "404 `Project with ID '<id>' not found`",
    },
    source: {
      '2024-10': CAPTURE('workspace-get-unknown.json'),
      latest: 'not confirmed in the newest source; kept from the emulator before versions',
    },
  }),
  row({
    key: 'folderDescription',
    title: 'folder `description`',
    values: { '2024-10': false, latest: true },
    shows: { '2024-10': 'absent', latest: 'present' },
    source: {
      '2024-10': CAPTURE('folder-list-root.json'),
      latest: 'node-sdk-v2 `Folder` type; newest `secret-folder-router.ts`',
    },
  }),
  row({
    key: 'updateAnswer',
    title: 'comment in the answer of a PATCH',
    values: { '2024-10': 'input', latest: 'stored' },
    shows: {
      '2024-10': 'the `secretComment` sent (`""` when none was sent), not the stored one',
      latest: 'the stored comment',
    },
    source: {
      '2024-10':
        'real-responses `update-secret.json`; `secret-v2-bridge-service.ts` `updateSecret`',
      latest: 'not confirmed in the newest source; kept from the emulator before versions',
    },
  }),
  row({
    key: 'projectSlugInBody',
    title: 'single-secret writes (v3) naming the project',
    values: { '2024-10': false, latest: true },
    shows: {
      '2024-10': '`workspaceId` required (a validation error without it)',
      latest: '`workspaceId` or `projectSlug`',
    },
    source: {
      '2024-10': 'real-responses `error-validation-missing-field.json`',
      latest: 'v3 `deprecated-secret-router.ts` (INFISICAL-API.md §2.4)',
    },
  }),
  row({
    key: 'tagNotFoundMessage',
    title: '`tagIds` naming a tag that does not exist',
    values: { '2024-10': 'Tag not found', latest: 'One or more tags not found' },
    shows: { '2024-10': '404 `Tag not found`', latest: '404 `One or more tags not found`' },
    source: {
      '2024-10': CAPTURE('create-secret-with-missing-tag.json'),
      latest: 'newest `secret-service.ts` (`findManyTagsById` check)',
    },
  }),
];

/** The behaviours of a server version, read from {@link BEHAVIOUR_ROWS}. */
export function behavioursFor(version: ServerVersion): Behaviours {
  const out: Record<string, unknown> = {};
  for (const definition of BEHAVIOUR_ROWS) out[definition.key] = definition.values[version];
  return out as unknown as Behaviours;
}

/** Whether a string names a supported server version. */
export function isServerVersion(value: unknown): value is ServerVersion {
  return typeof value === 'string' && (SERVER_VERSIONS as readonly string[]).includes(value);
}
