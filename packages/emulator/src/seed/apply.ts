/**
 * Builds the state a parsed seed describes: projects, environments with their root folders,
 * folders, tags, secrets with earlier versions, personal secrets, imports in order, identities
 * with their project roles and Universal Auth client secrets. Ids are derived from names, so the
 * same seed gives the same ids at every start and reset.
 *
 * @module seed/apply
 */
import { credentialDigest } from '../auth/constant-time.js';
import type { Clock } from '../state/clock.js';
import { ORG_ID, stableId } from '../state/ids.js';
import type { Folder, Identity, Project, SecretFields } from '../state/model.js';
import { canonicalPath, childPath, pathSegments } from '../state/paths.js';
import { folderRow, secretRow, versionRow } from '../state/rows.js';
import { Store } from '../state/store.js';
import type { Role, Seed, SeedSecret } from './schema.js';

/** A store holding what the seed describes. */
export function storeFromSeed(seed: Seed, clock: Clock): Store {
  const store = new Store();
  const at = clock.iso();
  for (const def of seed.identities) store.putIdentity(identityOf(def));
  for (const def of seed.identities) seedClientSecrets(store, def, at);
  for (const p of seed.projects) {
    const project: Project = {
      id: p.id ?? stableId('project', p.slug),
      slug: p.slug,
      name: p.name ?? p.slug,
      orgId: ORG_ID,
      createdAt: at,
      updatedAt: at,
    };
    store.putProject(project);
    for (const tag of p.tags) ensureTag(store, project.id, tag.slug, at, tag.color);
    p.environments.forEach((e, position) => {
      const id = stableId('env', project.id, e.slug);
      store.putEnvironment({
        id,
        projectId: project.id,
        slug: e.slug,
        name: e.name ?? e.slug,
        position: position + 1,
        createdAt: at,
        updatedAt: at,
      });
      ensureFolder(store, project.id, e.slug, '/', at);
    });
    for (const e of p.environments) {
      for (const path of e.folders) ensureFolder(store, project.id, e.slug, path, at);
      for (const [path, secrets] of Object.entries(e.secrets)) {
        const folder = ensureFolder(store, project.id, e.slug, path, at);
        for (const [key, def] of Object.entries(secrets))
          seedSecret(store, folder, key, def, null, at);
      }
      for (const [userName, byPath] of Object.entries(e.personalSecrets)) {
        const user = store.identityByName(userName);
        for (const [path, secrets] of Object.entries(byPath)) {
          const folder = ensureFolder(store, project.id, e.slug, path, at);
          for (const [key, def] of Object.entries(secrets))
            seedSecret(store, folder, key, def, user?.id ?? null, at);
        }
      }
      for (const [path, list] of Object.entries(e.imports)) {
        const folder = ensureFolder(store, project.id, e.slug, path, at);
        list.forEach((imp, i) => {
          store.putImport({
            id: stableId('import', folder.id, imp.environment, imp.path, String(i)),
            folderId: folder.id,
            environment: imp.environment,
            path: imp.path,
            position: i + 1,
            createdAt: at,
            updatedAt: at,
          });
        });
      }
    }
  }
  for (const def of seed.identities) {
    const identity = store.identityByName(def.name) as Identity;
    for (const [ref, role] of Object.entries(def.projects) as [string, Role][]) {
      const project = store.project(ref) ?? store.projectBySlug(ref);
      if (project) identity.roles.set(project.id, role);
    }
  }
  return store;
}

/** The folder at a canonical path, creating it and its parents when missing. */
export function ensureFolder(
  store: Store,
  projectId: string,
  environment: string,
  path: string,
  at: string,
): Folder {
  const canonical = canonicalPath(path);
  const existing = store.folder(projectId, environment, canonical);
  if (existing) return existing;
  const env = store.environment(projectId, environment);
  if (!env) throw new Error(`environment ${environment} does not exist`);
  let parent = store.folder(projectId, environment, '/');
  let current = '/';
  if (!parent) {
    parent = folderRow(stableId('folder', projectId, environment, '/'), env, null, 'root', at);
    store.putFolder(parent);
  }
  for (const name of pathSegments(canonical)) {
    current = childPath(current, name);
    const found = store.folder(projectId, environment, current);
    if (found) {
      parent = found;
      continue;
    }
    const folder = folderRow(
      stableId('folder', projectId, environment, current),
      env,
      parent,
      name,
      at,
    );
    store.putFolder(folder);
    parent = folder;
  }
  return parent;
}

function identityOf(def: Seed['identities'][number]): Identity {
  const id = def.id ?? stableId('identity', def.name);
  return {
    id,
    name: def.name,
    user: def.user,
    accessTokens: def.accessTokens,
    roles: new Map(),
    ...(def.universalAuth
      ? {
          universalAuth: {
            id: stableId('universal-auth', id),
            clientId: def.universalAuth.clientId,
            accessTokenTTL: def.universalAuth.accessTokenTTL,
            accessTokenMaxTTL: def.universalAuth.accessTokenMaxTTL,
            accessTokenNumUsesLimit: def.universalAuth.accessTokenNumUsesLimit,
          },
        }
      : {}),
    ...(def.awsAuth ? { awsAuth: def.awsAuth } : {}),
    ...(def.gcpAuth ? { gcpAuth: def.gcpAuth } : {}),
    ...(def.azureAuth ? { azureAuth: def.azureAuth } : {}),
    ...(def.kubernetesAuth ? { kubernetesAuth: def.kubernetesAuth } : {}),
    ...(def.oidcAuth ? { oidcAuth: def.oidcAuth } : {}),
    ...(def.jwtAuth ? { jwtAuth: def.jwtAuth } : {}),
  };
}

function seedClientSecrets(store: Store, def: Seed['identities'][number], at: string): void {
  const ua = def.universalAuth;
  if (!ua) return;
  const identity = store.identityByName(def.name) as Identity;
  const secrets = [
    ...(ua.clientSecret === undefined
      ? []
      : [{ clientSecret: ua.clientSecret, description: '', numUsesLimit: 0, ttl: 0 }]),
    ...ua.clientSecrets,
  ];
  secrets.forEach((secret, i) => {
    store.putClientSecret({
      id: stableId('client-secret', identity.id, String(i)),
      identityId: identity.id,
      description: secret.description,
      hash: credentialDigest(secret.clientSecret),
      prefix: secret.clientSecret.slice(0, 4),
      numUses: 0,
      numUsesLimit: secret.numUsesLimit,
      ttl: secret.ttl,
      revoked: false,
      createdAt: at,
      updatedAt: at,
    });
  });
}

function ensureTag(
  store: Store,
  projectId: string,
  slug: string,
  at: string,
  color?: string,
): string {
  const existing = store.tagBySlug(projectId, slug);
  if (existing) return existing.id;
  const id = stableId('tag', projectId, slug);
  store.putTag({
    id,
    projectId,
    slug,
    color: color ?? null,
    createdAt: at,
    updatedAt: at,
    createdBy: null,
    createdByActorType: 'user',
  });
  return id;
}

function seedSecret(
  store: Store,
  folder: Folder,
  key: string,
  def: SeedSecret,
  userId: string | null,
  at: string,
): void {
  const fields: SecretFields = {
    key,
    value: def.value,
    comment: def.comment,
    tagIds: def.tags.map((slug) => ensureTag(store, folder.projectId, slug, at)),
    skipMultilineEncoding: def.skipMultilineEncoding,
    reminderNote: def.reminderNote,
    reminderRepeatDays: def.reminderRepeatDays,
    metadata: Object.entries(def.metadata).map(([k, value]) => ({
      key: k,
      value,
      isEncrypted: false,
    })),
  };
  const secret = secretRow(
    fields,
    {
      id: stableId('secret', folder.id, key, userId ?? 'shared'),
      projectId: folder.projectId,
      folderId: folder.id,
      type: userId ? 'personal' : 'shared',
      userId,
      version: def.previousValues.length + 1,
      at,
    },
    def.previousValues.map((value, i) => versionRow({ ...fields, value }, i + 1, at)),
  );
  store.insertSecret(secret);
}
