#!/usr/bin/env node
// The README's demo: the Infisical emulator seeded with the sample project. Needs no account and
// no network; stops cleanly on Ctrl-C.
import { DEMO_SEED_FILE, startEmulator } from '../packages/emulator/dist/index.js';

const port = Number(process.env.DEMO_EMULATOR_PORT ?? 8080);
const emulator = await startEmulator({ port, seed: DEMO_SEED_FILE }).catch((error) => {
  if (error.code === 'EADDRINUSE') {
    console.error(`Port ${port} is in use. Set DEMO_EMULATOR_PORT to a free port and run the demo again.`);
    process.exit(1);
  }
  throw error;
});

const project = [...emulator.store.projects.values()][0];
const identity = [...emulator.store.identities.values()].find((i) => i.universalAuth && !i.user);
console.log(`
Infisical emulator (demo)     ${emulator.url}
  project                     ${project.slug} (id ${project.id}), environments dev, staging, prod
  Universal Auth clientId     ${identity.universalAuth.clientId}
  Universal Auth clientSecret ${identity.universalAuth.clientSecret}   (fake, local only)
  seed                        ${DEMO_SEED_FILE}

Try it:
  TOKEN=$(curl -s -X POST ${emulator.url}/api/v1/auth/universal-auth/login -H 'content-type: application/json' \\
    -d '{"clientId":"${identity.universalAuth.clientId}","clientSecret":"${identity.universalAuth.clientSecret}"}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).accessToken')
  curl -s "${emulator.url}/api/v3/secrets/raw?workspaceId=${project.id}&environment=dev&expandSecretReferences=true" -H "authorization: Bearer $TOKEN"

Press Ctrl-C to stop.`);

const stop = async () => {
  await emulator.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
