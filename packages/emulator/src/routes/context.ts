import type { Actor, TokenService } from '../auth/tokens.js';
import type { CloudState } from '../cloud/cloud-state.js';
import { badRequest, notFound } from '../http/api-error.js';
import type { RouteContext } from '../http/router.js';
import type { SecretService } from '../secrets/service.js';
import type { Environment, Project } from '../state/model.js';
import type { Store } from '../state/store.js';

/** The state and the services over it; replaced as a whole on reset. */
export interface Services {
  store: Store;
  tokens: TokenService;
  secrets: SecretService;
  /** The cloud stand-ins' principals, keys and sessions (kept across resets). */
  cloud: CloudState;
}

/** How route modules reach the current services. */
export type GetServices = () => Services;

/** Authenticates the request's bearer token. */
export function actorOf(services: Services, ctx: RouteContext): Actor {
  return services.tokens.authenticate(ctx.headers.authorization);
}

/** The project named by id or slug, or the server's 404. */
export function projectOf(services: Services, ref: string): Project {
  const project = services.store.project(ref);
  if (!project) throw notFound(`Project with ID '${ref}' not found`);
  return project;
}

/** The environment of a project, or a 404 naming it. */
export function environmentOf(services: Services, project: Project, slug: string): Environment {
  const env = services.store.environment(project.id, slug);
  if (!env)
    throw notFound(`Environment with slug '${slug}' in project with ID '${project.id}' not found`);
  return env;
}

/** Requires a value the server insists on, with its 400 message. */
export function required<T>(value: T | undefined | null, message: string): T {
  if (value === undefined || value === null || value === '') throw badRequest(message);
  return value;
}
