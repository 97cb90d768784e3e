/**
 * One instance of a fleet, as its own Node process: an Express app with `@infisical/express`
 * and `fleet: redisFleet({ url })`. It prints `WAITING`, loads on SIGUSR2 (so N instances
 * cold-start together), prints `LISTEN <port>`, then one line per event: `CHANGE <keys>` for
 * each change the handle hears, `REJOINED` when the fleet store answers again, `ERROR <code>`
 * for what onError receives. `GET /v` answers the current API_TOKEN (read through the handle's
 * cache, `secrets.read` semantics via `req.secrets`). Configured by INFISICAL_* and REDIS_URL.
 */
import { infisical } from '@infisical/express';
import express from 'express';
import { redisFleet } from '../../src/index.ts';

const fleet = process.env.REDIS_URL ? redisFleet({ url: process.env.REDIS_URL }) : undefined;
const secrets = infisical({
  ...(fleet === undefined ? {} : { fleet }),
  onError: (error) => console.log(`ERROR ${error.code}`),
  debug: {
    debug: (message) => {
      if (message.includes('rejoined the fleet')) console.log('REJOINED');
    },
  },
});
secrets.subscribe((change) => console.log(`CHANGE ${change.changed.join(',')}`));

const app = express();
app.use(secrets);
app.get('/v', (req, res) => {
  res.json({ value: req.secrets.API_TOKEN ?? null });
});

// Nothing else holds the process open while it waits for the signal.
const waiting = setInterval(() => undefined, 1000);
process.once('SIGUSR2', () => {
  clearInterval(waiting);
  void (async () => {
    await secrets.ready();
    const server = app.listen(0, '127.0.0.1', () => {
      console.log(`LISTEN ${(server.address() as { port: number }).port}`);
    });
    process.once('SIGTERM', () => {
      secrets.close();
      void fleet?.close();
      server.close(() => process.exit(0));
      server.closeAllConnections();
    });
  })().catch((error: unknown) => {
    console.log(`FAILED ${(error as { code?: string }).code ?? 'error'}`);
    process.exitCode = 1;
  });
});
console.log('WAITING');
