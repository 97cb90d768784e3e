import { getSecret } from '@infisical/next/runtime';
import { connection } from 'next/server';
import { mask } from '../lib/mask';
import { Greeting } from './greeting';

/** Rendered per request, so a rotated secret shows after the cache TTL without a rebuild. */
export default async function Home() {
  await connection();
  const sessionSecret = await getSecret('SESSION_SECRET');
  return (
    <main>
      <h1>Next.js + Infisical</h1>
      <p>
        Server component, SESSION_SECRET: <span id="server-secret">{mask(sessionSecret)}</span>
      </p>
      <Greeting />
    </main>
  );
}
