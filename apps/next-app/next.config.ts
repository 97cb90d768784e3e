import { withInfisical } from '@infisical/next';
import type { NextConfig } from 'next';
import { buildRequired } from './infisical.config';

const nextConfig: NextConfig = {
  // The tests build into their own folders (NEXT_DIST_DIR), one of them standalone; `pnpm demo`
  // uses the defaults.
  ...(process.env.NEXT_OUTPUT === 'standalone' ? { output: 'standalone' as const } : {}),
  ...(process.env.NEXT_DIST_DIR ? { distDir: process.env.NEXT_DIST_DIR } : {}),
};

export default withInfisical(nextConfig, {
  required: [...buildRequired],
  // DB_HOST is `localhost`, a word Next's own client runtime contains: the leak check reports it
  // as a warning (the runtime is its baseline), not a failure.
});
