/**
 * The credentials to paste into an app: `INFISICAL_*=` lines for one Universal Auth identity of the
 * seed, one of its projects and an environment. The CLI banner and the web UI show the same lines;
 * the client secret is masked unless asked for. The emulator keeps client secrets as hashes only,
 * so the secret shown is one the seed declares in clear and that can still log in; when there is
 * none, the line says so instead of showing a value that would not work.
 *
 * @module control/connection
 */
import type { Role } from '../seed/schema.js';
import type { Environment, Identity, Project } from '../state/model.js';
import type { Store } from '../state/store.js';

/** Which identity, project and environment to connect with; each defaults as {@link chooseConnection} says. */
export interface ConnectionChoice {
  /** Identity name. */
  identity?: string | undefined;
  /** Project slug or id. */
  project?: string | undefined;
  /** Environment slug. */
  environment?: string | undefined;
}

/** A chosen identity, project and environment. */
export interface Connection {
  identity: Identity & { universalAuth: NonNullable<Identity['universalAuth']> };
  project: Project;
  environment: Environment;
  /** The identity's client secret, when the emulator knows one that still logs in (see {@link KnownClientSecret}). */
  clientSecret: string | undefined;
}

/**
 * The client secret of an identity (by name) that the seed declares in clear and that can still
 * log in, or `undefined` (`Emulator.knownClientSecret`).
 */
export type KnownClientSecret = (identityName: string) => string | undefined;

/** One `NAME=value` line; the client secret's `value` is `null` while masked or unknown. */
export interface ConnectionLine {
  name: string;
  value: string | null;
  secret: boolean;
  /** On the client-secret line: whether the emulator knows a client secret to show. */
  known?: boolean;
}

/** The environment variable that holds the client secret. */
export const CLIENT_SECRET_ENV = 'INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET';

const ROLE_RANK: Readonly<Record<Role, number>> = {
  admin: 0,
  member: 1,
  viewer: 2,
  'no-access': 3,
};

/**
 * Picks the connection: by default the seed's first machine identity (users after machines, and
 * identities whose client secret is known before those whose is not) with Universal Auth and the
 * strongest role in some project, that project, and its first environment. Throws an `Error`
 * naming the problem when a chosen name does not exist.
 */
export function chooseConnection(
  store: Store,
  knownClientSecret: KnownClientSecret,
  choice: ConnectionChoice = {},
): Connection {
  const candidates = [...store.identities()].filter(
    (identity): identity is Connection['identity'] => identity.universalAuth !== undefined,
  );
  const identity =
    choice.identity === undefined
      ? bestIdentity(candidates, knownClientSecret)
      : candidates.find((candidate) => candidate.name === choice.identity);
  if (!identity) {
    throw new Error(
      choice.identity === undefined
        ? 'the seed has no identity with universalAuth'
        : `no identity "${choice.identity}" with universalAuth in the seed`,
    );
  }
  const project =
    choice.project === undefined
      ? bestProject(store, identity)
      : (store.project(choice.project) ?? store.projectBySlug(choice.project));
  if (!project) {
    throw new Error(
      choice.project === undefined ? 'the seed has no project' : `no project "${choice.project}"`,
    );
  }
  const environments = store.projectEnvironments(project.id);
  const environment =
    choice.environment === undefined
      ? environments[0]
      : environments.find((env) => env.slug === choice.environment);
  if (!environment) {
    throw new Error(
      choice.environment === undefined
        ? `project "${project.slug}" has no environment`
        : `no environment "${choice.environment}" in project "${project.slug}"`,
    );
  }
  return { identity, project, environment, clientSecret: knownClientSecret(identity.name) };
}

/** The `INFISICAL_*` lines of a connection; the client secret is `null` unless `showSecret` and known. */
export function connectionLines(
  siteUrl: string,
  connection: Connection,
  showSecret: boolean,
): ConnectionLine[] {
  const line = (name: string, value: string): ConnectionLine => ({ name, value, secret: false });
  return [
    line('INFISICAL_SITE_URL', siteUrl),
    line('INFISICAL_UNIVERSAL_AUTH_CLIENT_ID', connection.identity.universalAuth.clientId),
    {
      name: CLIENT_SECRET_ENV,
      value: showSecret ? (connection.clientSecret ?? null) : null,
      secret: true,
      known: connection.clientSecret !== undefined,
    },
    line('INFISICAL_PROJECT_ID', connection.project.id),
    line('INFISICAL_ENVIRONMENT', connection.environment.slug),
  ];
}

function rank(identity: Identity, knownClientSecret: KnownClientSecret): number {
  const best = Math.min(4, ...[...identity.roles.values()].map((role) => ROLE_RANK[role]));
  return best + (identity.user ? 10 : 0) + (knownClientSecret(identity.name) ? 0 : 20);
}

function bestIdentity<T extends Identity>(
  candidates: T[],
  knownClientSecret: KnownClientSecret,
): T | undefined {
  let best: { identity: T; rank: number } | undefined;
  for (const identity of candidates) {
    const value = rank(identity, knownClientSecret);
    if (!best || value < best.rank) best = { identity, rank: value };
  }
  return best?.identity;
}

function bestProject(store: Store, identity: Identity): Project | undefined {
  let best: { project: Project; rank: number } | undefined;
  for (const project of store.projects()) {
    const role = identity.roles.get(project.id);
    const value = role === undefined ? 4 : ROLE_RANK[role];
    if (!best || value < best.rank) best = { project, rank: value };
  }
  return best?.project;
}
