'use client';

import { useEffect, useState } from 'react';

/** A client component: NEXT_PUBLIC_GREETING is inlined into its JavaScript at build. */
export function Greeting() {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return (
    <p>
      Client component, NEXT_PUBLIC_GREETING:{' '}
      <span id="greeting" data-hydrated={hydrated}>
        {process.env.NEXT_PUBLIC_GREETING}
      </span>
    </p>
  );
}
