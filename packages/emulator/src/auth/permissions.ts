import { ApiError, permissionDenied } from '../http/api-error.js';
import type { Project } from '../state/model.js';
import type { Actor } from './tokens.js';

/** What a request does to a subject, as the server's CASL actions name it. */
export type Action = 'read' | 'create' | 'edit' | 'delete';

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
  const role = actor.identity.roles.get(project.id);
  if (!role) {
    const who = actor.identity.user ? 'User' : 'Identity';
    throw new ApiError(
      403,
      `${who} is not a member of the specified project`,
      'You are not allowed to access this resource',
    );
  }
  if (role === 'no-access' || (role === 'viewer' && action !== 'read'))
    throw permissionDenied(action, subject);
}
