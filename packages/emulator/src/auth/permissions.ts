/**
 * Project permissions as the server's CASL checks answer them, from the role an identity holds
 * in the project (the seed's `projects:` map).
 *
 * @module auth/permissions
 */
import { ApiError, permissionDenied } from '../http/api-error.js';
import type { Project } from '../state/model.js';
import type { Store } from '../state/store.js';
import type { Actor } from './tokens.js';

/** What a request does to a subject, as the server's CASL actions name it. */
export type Action = 'read' | 'create' | 'edit' | 'delete';

/** Requires membership of the project (any role): 403 `… is not a member of the specified project`. */
export function requireMember(actor: Actor, project: Project): void {
  if (actor.identity.roles.has(project.id)) return;
  const who = actor.identity.user ? 'User' : 'Identity';
  throw new ApiError(
    403,
    `${who} is not a member of the specified project`,
    'You are not allowed to access this resource',
  );
}

/**
 * Checks the actor's role in the project: no role → 403 not a member; `no-access` → 403 for
 * everything; `viewer` → reads only; `member` and `admin` → everything.
 */
export function authorize(
  actor: Actor,
  project: Project,
  action: Action,
  subject = 'secrets',
): void {
  requireMember(actor, project);
  const role = actor.identity.roles.get(project.id);
  if (role === 'no-access' || (role === 'viewer' && action !== 'read'))
    throw permissionDenied(action, subject);
}

/** The project a permission check is about: an unknown id is a project nobody is a member of. */
export function permissionProject(store: Store, projectId: string): Project {
  return (
    store.project(projectId) ?? {
      id: projectId,
      slug: '',
      name: '',
      orgId: '',
      createdAt: '',
      updatedAt: '',
    }
  );
}
