/**
 * The emulator: builds the state and services from a seed for one server version, serves them
 * over HTTP with the test controls, optionally persists them (`dataFile`), and offers the same
 * controls programmatically.
 *
 * @module emulator
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { CloudLoginService } from './auth/cloud-logins.js';
import { JwtSigner } from './auth/jwt.js';
import { type LoginResponse, TokenService } from './auth/tokens.js';
import { UniversalAuthService } from './auth/universal-auth.js';
import {
  CloudState,
  type GcpServiceAccountKeyFile,
  type KubernetesTokenInput,
  type OidcTokenInput,
} from './cloud/cloud-state.js';
import { checkControlToken, createControlToken } from './control/control-token.js';
import { ControlEvents } from './control/events.js';
import { type Fault, FaultRegistry, type FaultSpec } from './control/faults.js';
import { RequestLog, type RequestStats } from './control/request-log.js';
import { registerControlRoutes } from './control/routes.js';
import { registerUiControlRoutes } from './control/ui-routes.js';
import { FolderService } from './folders/service.js';
import { createErrorFormat } from './http/error-format.js';
import { checkAllowedHosts, RequestGuard } from './http/request-guard.js';
import { Router } from './http/router.js';
import { createEmulatorServer } from './http/server.js';
import { ImportService } from './imports/service.js';
import { ProjectService } from './projects/service.js';
import { registerAuthRoutes } from './routes/auth.js';
import { CLOUD_PATHS, registerCloudRoutes } from './routes/cloud.js';
import { registerCloudAuthRoutes } from './routes/cloud-auth.js';
import type { Services } from './routes/context.js';
import { registerFolderRoutes } from './routes/folders.js';
import { registerImportRoutes } from './routes/imports.js';
import { registerSecretRoutes } from './routes/secrets.js';
import { registerStatusRoutes } from './routes/status.js';
import { registerTagRoutes } from './routes/tags.js';
import { registerWorkspaceRoutes } from './routes/workspace.js';
import { SecretService } from './secrets/service.js';
import { ensureFolder, storeFromSeed } from './seed/apply.js';
import { loadSeedFile, parseSeed, SeedError } from './seed/load.js';
import type { Seed, SeedInput } from './seed/schema.js';
import { Clock } from './state/clock.js';
import { canonicalPath } from './state/paths.js';
import { DataFile } from './state/persistence.js';
import type { Store } from './state/store.js';
import { TagService } from './tags/service.js';
import { createPageHandler } from './ui/pages.js';
import {
  behavioursFor,
  isServerVersion,
  SERVER_VERSIONS,
  type ServerVersion,
} from './versions/behaviours.js';

/** The seed the demo and the CLI use when none is given. */
export const DEMO_SEED_FILE: string = fileURLToPath(
  new URL('../examples/demo-seed.yaml', import.meta.url),
);

/** The web UI's static files (`ui/` in the package, next to `examples/`). */
const UI_DIR: string = fileURLToPath(new URL('../ui/', import.meta.url));

/** Who may talk to the emulator over HTTP. */
export interface AccessOptions {
  /**
   * The token the control API (`/_emulator/*`) requires as `Authorization: Bearer <token>`: 16 to
   * 512 visible ASCII characters. The programmatic API needs none; read it back as
   * `emulator.controlToken`.
   * @default a fresh one per start: 32 random bytes, base64url
   */
  controlToken?: string;
  /**
   * Host names requests may carry besides `127.0.0.1`, `localhost`, `[::1]` and the `host` the
   * server listens on (a leading dot allows subdomains: `.dev.test`). Any other `Host` gets 403.
   * @default []
   */
  allowedHosts?: readonly string[];
}

/** Infisical's limit on path parameters (Fastify's `maxParamLength`). */
const MAX_PARAM_LENGTH = 100;

/** Options of {@link startEmulator}. */
export interface EmulatorOptions extends AccessOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string;
  /** A seed object, or the path of a YAML/JSON seed file. @default the bundled demo seed */
  seed?: SeedInput | string;
  /**
   * The Infisical server version to answer as: `latest` (the newest server) or `2024-10` (the
   * self-hosted release of October 2024). @default the seed's `serverVersion`, else `'latest'`
   */
  serverVersion?: ServerVersion;
  /**
   * Persist changes here (a snapshot plus `<dataFile>.journal`, in a folder created 0700, files
   * 0600); when it exists, start from it instead of the seed.
   */
  dataFile?: string;
}

/** Changing a secret from outside, as a rotation would. */
export interface SetSecretInput {
  project: string;
  environment: string;
  path?: string;
  key: string;
  value: string;
  type?: 'shared' | 'personal';
  /** The user a personal secret belongs to (identity name). */
  user?: string;
}

/** Full URLs of the cloud stand-ins, to pass as the login methods' endpoint options. */
export interface CloudEndpoints {
  /** AWS EC2 instance metadata (IMDSv2) base URL: `awsIam.endpoints.imds`. */
  awsImds: string;
  /** AWS ECS container credentials base URL: `awsIam.endpoints.ecs`; credentials at `/v2/credentials/<id>` and `/v1/credentials`. */
  awsEcs: string;
  /** GCP metadata server base URL: `gcpIdToken.metadataEndpoint`. */
  gcpMetadata: string;
  /** Google OAuth token endpoint (full URL): `gcpIam.endpoints.oauthToken`. */
  gcpOAuthToken: string;
  /** IAM Service Account Credentials base URL: `gcpIam.endpoints.iamCredentials`. */
  gcpIamCredentials: string;
  /** Azure Instance Metadata Service base URL: `azure.metadataEndpoint`. */
  azureImds: string;
}

/** A running emulator: its URL, the test controls and `close()`. */
export class Emulator {
  /** Base URL, e.g. `http://127.0.0.1:54321`; use it as the client's `siteUrl`. */
  url = '';
  /** The Infisical server version this emulator answers as. */
  readonly serverVersion: ServerVersion;
  readonly #seed: Seed;
  readonly #dataFile: DataFile | undefined;
  readonly #events = new ControlEvents(() => ({ log: this.#log, faults: this.#faults }));
  readonly #faults = new FaultRegistry(() => this.#events.changed());
  readonly #log = new RequestLog(() => this.#events.changed());
  readonly #controlToken: string;
  readonly #allowedHosts: readonly string[];
  readonly #clock = new Clock();
  readonly #signer = new JwtSigner(() => this.#clock.now());
  readonly #cloud: CloudState;
  #services: Services;
  #server: Server | undefined;

  constructor(
    seed: Seed,
    options: { dataFile?: string; serverVersion?: ServerVersion } & AccessOptions = {},
  ) {
    this.#controlToken =
      options.controlToken === undefined
        ? createControlToken()
        : checkControlToken(options.controlToken);
    this.#allowedHosts = checkAllowedHosts(options.allowedHosts);
    const version = options.serverVersion ?? seed.serverVersion ?? 'latest';
    if (!isServerVersion(version))
      throw new SeedError(
        `serverVersion: unknown version "${String(version)}" (use ${SERVER_VERSIONS.join(' or ')})`,
      );
    this.serverVersion = version;
    this.#seed = seed;
    this.#cloud = new CloudState(seed.cloud);
    this.#services = this.#build();
    if (options.dataFile) {
      this.#dataFile = new DataFile(options.dataFile);
      const saved = this.#dataFile.load();
      if (saved) this.#services.store.restore(saved);
      this.#dataFile.attach(this.#services.store);
    }
  }

  /** Starts listening. */
  async listen(port = 0, host = '127.0.0.1'): Promise<this> {
    const api = new Router({ maxParamLength: MAX_PARAM_LENGTH });
    const services = () => this.#services;
    registerStatusRoutes(api, services);
    registerAuthRoutes(api, services);
    registerCloudAuthRoutes(api, services);
    registerCloudRoutes(api, services);
    registerSecretRoutes(api, services, 'v3');
    if (this.#services.behaviours.v4Routes) registerSecretRoutes(api, services, 'v4');
    registerFolderRoutes(api, services);
    registerImportRoutes(api, services);
    registerTagRoutes(api, services);
    registerWorkspaceRoutes(api, services);
    const control = new Router();
    registerControlRoutes(control, this);
    registerUiControlRoutes(control, this);
    const pages = createPageHandler(UI_DIR);
    const format = createErrorFormat(this.#services.behaviours);
    const server = createEmulatorServer({
      api,
      control,
      faults: this.#faults,
      log: this.#log,
      format: () => format,
      controlFormat: createErrorFormat(behavioursFor('latest')),
      guard: new RequestGuard({
        listenHost: host,
        allowedHosts: this.#allowedHosts,
        controlToken: this.#controlToken,
      }),
      direct: async (req, res, pathname) =>
        (await pages(req, res, pathname)) || this.#events.serve(req, res, pathname),
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#server = server;
    const address = server.address() as AddressInfo;
    const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    this.url = `http://${shownHost}:${address.port}`;
    return this;
  }

  /** Stops the server, drops open connections and closes the data file. */
  async close(): Promise<void> {
    const server = this.#server;
    this.#dataFile?.close();
    if (!server) return;
    this.#server = undefined;
    this.#events.close();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  /** The control API's token (`Authorization: Bearer <token>`), for tests and tools that call it over HTTP. */
  get controlToken(): string {
    return this.#controlToken;
  }

  /** The in-memory state (projects, folders, secrets, identities, tokens). */
  get store(): Store {
    return this.#services.store;
  }

  /** Back to the seed: state, tokens, faults, request counters and the clock. (With `dataFile`, the file is rewritten from the seed.) */
  reset(): void {
    this.#cloud.resetSessions();
    this.#clock.reset();
    this.#services = this.#build();
    this.#dataFile?.attach(this.#services.store);
    this.#faults.clear();
    this.#log.clear();
    this.#events.stateChanged();
  }

  /** Injects a fault into matching requests. */
  injectFault(spec: FaultSpec): Fault {
    return this.#faults.add(spec);
  }

  /** The registered faults. */
  faults(): Fault[] {
    return this.#faults.list();
  }

  /** Removes one fault, or all. */
  clearFaults(id?: string): void {
    this.#faults.clear(id);
  }

  /** Request counters and log. */
  requests(): RequestStats {
    return this.#log.stats();
  }

  /** Requests answered for a route template (`GET /api/v3/secrets/raw`), or all. */
  requestCount(route?: string): number {
    return this.#log.count(route);
  }

  /** Resets the request counters and log. */
  clearRequests(): void {
    this.#log.clear();
  }

  /**
   * Moves the emulator's clock forward (token and client-secret lifetimes, timestamps of new
   * versions), so expiry can be tested without waiting. Returns the total offset in ms.
   */
  advanceClock(ms: number): number {
    return this.#clock.advance(ms);
  }

  /** Creates or changes a secret from outside (a rotation): a new version; returns key, version and whether it was created. */
  setSecret(input: SetSecretInput): { key: string; version: number; created: boolean } {
    const { project, folder, type, userId } = this.#locate(input, true);
    const { secret, created } = this.#services.secrets.rotate({
      project,
      environment: input.environment,
      folder,
      key: input.key,
      value: input.value,
      type,
      userId,
    });
    return { key: secret.key, version: secret.version, created };
  }

  /** Deletes a secret from outside (a shared key takes its personal overrides along); returns whether it existed. */
  deleteSecret(input: Omit<SetSecretInput, 'value'>): boolean {
    const { folder, type, userId } = this.#locate(input, false);
    return this.#services.secrets.remove(folder, input.key, type, userId);
  }

  /** A secret's stored value (references unexpanded) and version, or `undefined` when it does not exist. */
  secretValue(
    input: Omit<SetSecretInput, 'value'>,
  ): { key: string; value: string; version: number } | undefined {
    const { folder, type, userId } = this.#locate(input, false);
    const secret = this.#services.store.findSecret(folder.id, input.key, type, userId);
    return secret && { key: secret.key, value: secret.value, version: secret.version };
  }

  /**
   * The client secret of an identity (by name) that the seed declares in clear and that can still
   * log in (not revoked, used up or expired), or `undefined`. The store keeps client secrets as
   * hashes only, so one created over the API, or a seed's that a `dataFile` no longer holds, is not
   * known. The CLI banner and the web UI's connection lines show this one.
   */
  knownClientSecret(identityName: string): string | undefined {
    const identity = this.#services.store.identityByName(identityName);
    const declared = this.#seed.identities.find((def) => def.name === identityName)?.universalAuth;
    if (!identity || !declared) return undefined;
    const candidates = [
      ...(declared.clientSecret === undefined ? [] : [declared.clientSecret]),
      ...declared.clientSecrets.map((secret) => secret.clientSecret),
    ];
    return this.#services.universalAuth.usableClientSecret(identity.id, candidates);
  }

  /** Issues an access token for an identity by name (as Token Auth does). */
  issueToken(identityName: string, options: { accessTokenTTL?: number } = {}): LoginResponse {
    const identity = this.#services.store.identityByName(identityName);
    if (!identity) throw new Error(`no identity named "${identityName}" in the seed`);
    const ttl = options.accessTokenTTL ?? identity.universalAuth?.accessTokenTTL ?? 2592000;
    return this.#services.tokens.issue(identity, {
      accessTokenTTL: ttl,
      accessTokenMaxTTL: Math.max(ttl, identity.universalAuth?.accessTokenMaxTTL ?? 0),
      accessTokenNumUsesLimit: 0,
    });
  }

  /** The id of an identity by name (what the machine-identity logins take as `identityId`). */
  identityId(identityName: string): string {
    const identity = this.#services.store.identityByName(identityName);
    if (!identity) throw new Error(`no identity named "${identityName}" in the seed`);
    return identity.id;
  }

  /** The URLs of the cloud stand-ins (valid once listening). */
  get cloudEndpoints(): CloudEndpoints {
    return {
      awsImds: this.url + CLOUD_PATHS.awsImds,
      awsEcs: this.url + CLOUD_PATHS.awsEcs,
      gcpMetadata: this.url + CLOUD_PATHS.gcpMetadata,
      gcpOAuthToken: this.url + CLOUD_PATHS.gcpOAuthToken,
      gcpIamCredentials: this.url + CLOUD_PATHS.gcpIamCredentials,
      azureImds: this.url + CLOUD_PATHS.azureImds,
    };
  }

  /**
   * Mints a projected service-account token for a service account of the seed's
   * `cloud.kubernetes.serviceAccounts`, as the kubelet mounts it (for Kubernetes auth).
   */
  issueKubernetesToken(input: KubernetesTokenInput): string {
    return this.#cloud.issueKubernetesToken(input);
  }

  /** Mints a JWT with chosen claims, signed by the emulator's OIDC issuer (for OIDC and JWT auth). */
  issueOidcToken(input: OidcTokenInput = {}): string {
    return this.#cloud.issueOidcToken(input);
  }

  /** Same as {@link issueOidcToken}: JWT-auth identities trust the same issuer. */
  issueJwtToken(input: OidcTokenInput = {}): string {
    return this.#cloud.issueOidcToken(input);
  }

  /**
   * The JSON key of a GCP service account of the seed (default: the instance's default service
   * account), with `token_uri` pointing at the emulator. A key the seed does not give is created
   * on first use and kept across resets.
   */
  gcpServiceAccountKey(email?: string): GcpServiceAccountKeyFile {
    const account =
      email === undefined ? this.#cloud.defaultServiceAccount() : this.#cloud.serviceAccount(email);
    if (!account) {
      throw new Error(
        email === undefined
          ? "the seed's cloud.gcp has no service accounts"
          : `no service account "${email}" in the seed's cloud.gcp.serviceAccounts`,
      );
    }
    return this.#cloud.serviceAccountKeyFile(account.email, this.url + CLOUD_PATHS.gcpOAuthToken);
  }

  #locate(input: Omit<SetSecretInput, 'value'>, create: boolean) {
    const store = this.#services.store;
    const project = store.project(input.project) ?? store.projectBySlug(input.project);
    if (!project) throw new Error(`no project "${input.project}"`);
    if (!store.environment(project.id, input.environment))
      throw new Error(`no environment "${input.environment}" in project "${project.slug}"`);
    const path = canonicalPath(input.path);
    const folder = create
      ? ensureFolder(store, project.id, input.environment, path, this.#clock.iso())
      : store.folder(project.id, input.environment, path);
    if (!folder) throw new Error(`no folder "${path}" in environment "${input.environment}"`);
    const type = input.type ?? 'shared';
    let userId: string | null = null;
    if (type === 'personal') {
      const user = input.user ? store.identityByName(input.user) : undefined;
      if (!user?.user)
        throw new Error('a personal secret needs "user": the name of an identity marked as a user');
      userId = user.id;
    }
    return { project, folder, type, userId };
  }

  #build(): Services {
    const behaviours = behavioursFor(this.serverVersion);
    const clock = this.#clock;
    const store = storeFromSeed(this.#seed, clock);
    // The web UI re-reads the state when it moves (client-secret use counts are not shown there).
    store.onChange((change) => {
      if (change.table !== 'clientSecrets') this.#events.stateChanged();
    });
    const tokens = new TokenService(store, this.#signer, clock, behaviours);
    const projects = new ProjectService(store, clock, behaviours);
    const folders = new FolderService(store, clock, behaviours);
    return {
      store,
      clock,
      behaviours,
      tokens,
      universalAuth: new UniversalAuthService(store, tokens, clock),
      cloudLogins: new CloudLoginService(store, this.#cloud, tokens),
      projects,
      folders,
      secrets: new SecretService(store, clock, projects, folders, behaviours),
      imports: new ImportService(store, clock, folders, behaviours),
      tags: new TagService(store, clock),
      cloud: this.#cloud,
    };
  }
}

/** Resolves a seed option to a parsed seed (files are read and validated). */
export function resolveSeed(seed: SeedInput | string | undefined): Seed {
  if (seed === undefined) return loadSeedFile(DEMO_SEED_FILE);
  return typeof seed === 'string' ? loadSeedFile(seed) : parseSeed(seed);
}

/**
 * Starts an emulator: `const emulator = await startEmulator({ port: 0, seed })`, then
 * `emulator.url` for the client and `await emulator.close()` when done.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = new Emulator(resolveSeed(options.seed), {
    ...(options.dataFile ? { dataFile: options.dataFile } : {}),
    ...(options.serverVersion ? { serverVersion: options.serverVersion } : {}),
    controlToken: options.controlToken,
    allowedHosts: options.allowedHosts,
  });
  return emulator.listen(options.port ?? 0, options.host ?? '127.0.0.1');
}
