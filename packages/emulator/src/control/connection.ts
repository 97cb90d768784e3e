/**
 * The credentials to paste into an app: `INFISICAL_*=` lines for one Universal Auth identity of the
 * seed, one of its projects and an environment. The CLI banner and the web UI show the same lines;
 * the client secret is masked unless asked for.
 *
 * @module
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
}

/** One `NAME=value` line; the client secret's `value` is `null` while masked. */
export interface ConnectionLine {
  name: string;
  value: string | null;
  secret: boolean;
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
 * Picks the connection: by default the seed's first machine identity (users after machines) with
 * Universal Auth and the strongest role in some project, that project, and its first environment.
 * Throws an `Error` naming the problem when a chosen name does not exist.
 */
export function chooseConnection(store: Store, choice: ConnectionChoice = {}): Connection {
  const candidates = [...store.identities.values()].filter(
    (identity): identity is Connection['identity'] => identity.universalAuth !== undefined,
  );
  const identity =
    choice.identity === undefined
      ? bestIdentity(candidates)
      : candidates.find((candidate) => candidate.name === choice.identity);
  if (!identity) {
    throw new Error(
      choice.identity === undefined
        ? 'the seed has no identity with universalAuth'
        : `no identity "${choice.identity}" with universalAuth in the seed`,
    );
  }
  const project =
    choice.project === undefined ? bestProject(store, identity) : store.project(choice.project);
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
  return { identity, project, environment };
}

/** The `INFISICAL_*` lines of a connection; the client secret is `null` unless `showSecret`. */
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
      value: showSecret ? connection.identity.universalAuth.clientSecret : null,
      secret: true,
    },
    line('INFISICAL_PROJECT_ID', connection.project.id),
    line('INFISICAL_ENVIRONMENT', connection.environment.slug),
  ];
}

function rank(identity: Identity): number {
  const best = Math.min(4, ...[...identity.roles.values()].map((role) => ROLE_RANK[role]));
  return best + (identity.user ? 10 : 0);
}

function bestIdentity<T extends Identity>(candidates: T[]): T | undefined {
  let best: T | undefined;
  for (const candidate of candidates) if (!best || rank(candidate) < rank(best)) best = candidate;
  return best;
}

function bestProject(store: Store, identity: Identity): Project | undefined {
  let best: { project: Project; rank: number } | undefined;
  for (const project of store.projects.values()) {
    const role = identity.roles.get(project.id);
    const value = role === undefined ? 4 : ROLE_RANK[role];
    if (!best || value < best.rank) best = { project, rank: value };
  }
  return best?.project;
}
