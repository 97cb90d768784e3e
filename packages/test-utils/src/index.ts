/** Shared helpers of this repository's integration and end-to-end tests. */
export { chromiumPath, launchChromium } from './chromium.ts';
export {
  DEMO_CREDENTIALS,
  DEMO_PROJECT_ID,
  demoLoadOptions,
  infisicalEnv,
  SERVER_VERSION_VARIABLE,
  startDemoEmulator,
  startTestEmulator,
  testServerVersion,
} from './emulator.ts';
export { freePort, type RunningProcess, run, startProcess, waitForHttp } from './processes.ts';
export { type RedisServer, redisServerPath, startRedis } from './redis.ts';
