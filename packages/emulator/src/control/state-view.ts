/**
 * A read-only picture of the emulator's state for the web UI (`GET /_emulator/state`): projects,
 * environments, folders, secrets and identities, without any secret value or client secret.
 *
 * @module control/state-view
 */
import type { Role } from '../seed/schema.js';
import type { Identity, Secret } from '../state/model.js';
import { byText, type Store } from '../state/store.js';

/** A secret as the UI lists it: everything but its value. */
export interface SecretView {
  key: string;
  type: 'shared' | 'personal';
  /** The identity a personal secret belongs to. */
  user: string | null;
  version: number;
  comment: string;
  tags: string[];
  updatedAt: string;
}

/** A folder with its secrets and imports. */
export interface FolderView {
  path: string;
  secrets: SecretView[];
  imports: { environment: string; path: string }[];
}

/** A project with its environments and their folders. */
export interface ProjectView {
  id: string;
  slug: string;
  name: string;
  environments: { slug: string; name: string; folders: FolderView[] }[];
}

/** An identity: name, id, client id and login methods, never its client secret. */
export interface IdentityView {
  id: string;
  name: string;
  user: boolean;
  clientId: string | null;
  authMethods: string[];
  roles: { project: string; role: Role }[];
}

/** The whole state as the UI lists it. */
export interface StateView {
  url: string;
  projects: ProjectView[];
  identities: IdentityView[];
}

/** The login methods an identity can have, with the names the API uses. */
export const AUTH_METHODS = [
  ['universalAuth', 'universal-auth'],
  ['awsAuth', 'aws-auth'],
  ['gcpAuth', 'gcp-auth'],
  ['azureAuth', 'azure-auth'],
  ['kubernetesAuth', 'kubernetes-auth'],
  ['oidcAuth', 'oidc-auth'],
  ['jwtAuth', 'jwt-auth'],
] as const;

/** The login methods an identity has (`['universal-auth', 'aws-auth']`). */
export function authMethodsOf(identity: Identity): string[] {
  return AUTH_METHODS.filter(([field]) => identity[field] !== undefined).map(([, name]) => name);
}

/** Builds the read-only view of a store. */
export function stateView(store: Store, url: string): StateView {
  const secretView = (secret: Secret): SecretView => ({
    key: secret.key,
    type: secret.type,
    user: secret.userId === null ? null : (store.identity(secret.userId)?.name ?? null),
    version: secret.version,
    comment: secret.comment,
    tags: secret.tagIds.flatMap((id) => store.tag(id)?.slug ?? []),
    updatedAt: secret.updatedAt,
  });
  const folders = (projectId: string, environment: string) => {
    const root = store.folder(projectId, environment, '/');
    return root ? store.subtree(root).sort((a, b) => byText(a.path, b.path)) : [];
  };
  const projects = [...store.projects()].map((project) => ({
    id: project.id,
    slug: project.slug,
    name: project.name,
    environments: store.projectEnvironments(project.id).map((env) => ({
      slug: env.slug,
      name: env.name,
      folders: folders(project.id, env.slug).map((folder) => ({
        path: folder.path,
        secrets: store.folderSecrets(folder.id, 'key').map(secretView),
        imports: store
          .folderImports(folder.id)
          .map((imp) => ({ environment: imp.environment, path: imp.path })),
      })),
    })),
  }));
  const identities = [...store.identities()].map((identity) => ({
    id: identity.id,
    name: identity.name,
    user: identity.user,
    clientId: identity.universalAuth?.clientId ?? null,
    authMethods: authMethodsOf(identity),
    roles: [...identity.roles].flatMap(([projectId, role]) => {
      const project = store.project(projectId);
      return project ? [{ project: project.slug, role }] : [];
    }),
  }));
  return { url, projects, identities };
}
