/**
 * What route modules reach: the state and the services over it (replaced as a whole on reset),
 * and the authentication every Infisical route starts with.
 *
 * @module routes/context
 */
import type { CloudLoginService } from '../auth/cloud-logins.js';
import type { Actor, TokenService } from '../auth/tokens.js';
import type { UniversalAuthService } from '../auth/universal-auth.js';
import type { CloudState } from '../cloud/cloud-state.js';
import type { FolderService } from '../folders/service.js';
import type { RouteContext } from '../http/router.js';
import type { ImportService } from '../imports/service.js';
import type { ProjectService } from '../projects/service.js';
import type { SecretService } from '../secrets/service.js';
import type { Clock } from '../state/clock.js';
import type { Store } from '../state/store.js';
import type { TagService } from '../tags/service.js';
import type { Behaviours } from '../versions/behaviours.js';

/** The state and the services over it. */
export interface Services {
  store: Store;
  clock: Clock;
  behaviours: Behaviours;
  tokens: TokenService;
  universalAuth: UniversalAuthService;
  cloudLogins: CloudLoginService;
  projects: ProjectService;
  folders: FolderService;
  secrets: SecretService;
  imports: ImportService;
  tags: TagService;
  /** The cloud stand-ins' principals, keys and sessions (kept across resets). */
  cloud: CloudState;
}

/** How route modules reach the current services. */
export type GetServices = () => Services;

/** Authenticates the request's `Authorization` header (first, as the server's `onRequest` hook). */
export function actorOf(services: Services, ctx: RouteContext): Actor {
  const header = ctx.headers.authorization;
  return services.tokens.authenticate(Array.isArray(header) ? header[0] : header);
}
