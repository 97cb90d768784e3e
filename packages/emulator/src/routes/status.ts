/**
 * `GET /api/status`, the server's health check.
 *
 * @module routes/status
 */
import type { Router } from '../http/router.js';
import type { GetServices } from './context.js';

/** `GET /api/status`. */
export function registerStatusRoutes(router: Router, services: GetServices): void {
  router.add('GET', '/api/status', () => ({
    body: {
      date: services().clock.iso(),
      message: 'Ok',
      emailConfigured: false,
      inviteOnlySignup: true,
      redisConfigured: true,
      secretScanningConfigured: false,
    },
  }));
}
