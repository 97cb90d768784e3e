import { maskSecret } from '@infisical/core';
import { getSecret } from '@infisical/next/runtime';
import { connection } from 'next/server';
import { Suspense } from 'react';
import { Greeting } from './greeting';

/** Rendered per request (connection()), so a rotated secret shows without a rebuild. */
async function ServerSecret() {
  await connection();
  const sessionSecret = await getSecret('SESSION_SECRET');
  return <span id="server-secret">{maskSecret(sessionSecret)}</span>;
}

export default function Home() {
  return (
    <main>
      <h1>Next.js + Infisical</h1>
      <p>
        Server component, SESSION_SECRET:{' '}
        <Suspense fallback="…">
          <ServerSecret />
        </Suspense>
      </p>
      <Greeting />
      <p>
        <a href="/api/secrets">/api/secrets</a>: every secret (private ones masked), where they came
        from and when they changed.
      </p>
    </main>
  );
}
