/**
 * The catalogue of real leak patterns: each case is a small build output in `fixtures/` (fake
 * values) reproducing a mistake reported publicly, and the test asserts what the scanner finds
 * in it — key, file and form — and what it must not report.
 */
import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createLeakScanner, type LeakCredential, leakOutcome } from '../../src/index.ts';
import { type SkippedFile, scanDirectory } from '../../src/node.ts';

interface Expected {
  key: string;
  file: string;
  form: string;
}

interface CatalogueCase {
  /** Folder under `fixtures/`. */
  name: string;
  /** The mistake, in a sentence. */
  pattern: string;
  /** Where it was reported (empty for a case that checks the scanner's own behaviour). */
  reports: readonly string[];
  /** The output folder scanned, inside the fixture. */
  output: string;
  privateValues: Record<string, string>;
  publicValues?: Record<string, string>;
  credentials?: LeakCredential[];
  /** Baseline folders, inside the fixture. */
  baseline?: string[];
  findings: Expected[];
  warnings?: Array<Expected & { reason: RegExp }>;
  skipped?: SkippedFile[];
  tooShort?: string[];
}

const CATALOGUE: CatalogueCase[] = [
  {
    name: 'next-rsc-server-prop',
    pattern:
      'A server component passes an object holding a server-only value to a client component: ' +
      'the prerendered HTML (inline flight data, JSON inside a JS string) and the .rsc payload ship it.',
    reports: [
      'https://github.com/vercel/next.js/issues/95702',
      'https://github.com/payload-auth/payload-auth/pull/153',
    ],
    output: 'next-build',
    privateValues: {
      DATABASE_URL: 'postgres://app:fake-db-pass-7Qm2@db.internal:5432/app',
      SIGNING_KEY:
        '-----BEGIN FAKE KEY-----\nZmFrZS1rZXktbGluZS0x\nZmFrZS1rZXktbGluZS0y\n-----END FAKE KEY-----',
    },
    findings: [
      { key: 'DATABASE_URL', file: 'server/app/dashboard.html', form: 'raw' },
      { key: 'SIGNING_KEY', file: 'server/app/dashboard.html', form: 'json-escaped' },
      { key: 'DATABASE_URL', file: 'server/app/dashboard.rsc', form: 'raw' },
      { key: 'SIGNING_KEY', file: 'server/app/dashboard.rsc', form: 'json-escaped' },
    ],
  },
  {
    name: 'next-public-prefix',
    pattern:
      'A credential put in a NEXT_PUBLIC_ variable is inlined into a client chunk (the same value is private in Infisical).',
    reports: [
      'https://github.com/langgenius/webapp-conversation/issues/132',
      'https://github.com/pubky/pubky-app/issues/795',
    ],
    output: 'next-build',
    privateValues: { HOMESERVER_ADMIN_PASSWORD: 'fake-admin-pass-91c3e' },
    findings: [
      {
        key: 'HOMESERVER_ADMIN_PASSWORD',
        file: 'static/chunks/app/page-5f1c2a.js',
        form: 'raw',
      },
    ],
  },
  {
    name: 'vite-define-process-env',
    pattern:
      "Vite `define: { 'process.env': process.env }` writes the whole environment into the bundle.",
    reports: [
      'https://github.com/raystack/frontier/pull/1588',
      'https://github.com/vitejs/vite/issues/17710',
    ],
    output: 'vite-build',
    privateValues: { STRIPE_SECRET_KEY: 'fake_stripe_secret_4eC39HqLyjWDarjtT1zd' },
    findings: [{ key: 'STRIPE_SECRET_KEY', file: 'assets/index-Bx3kP9.js', form: 'raw' }],
  },
  {
    name: 'vite-empty-env-prefix',
    pattern:
      "`envPrefix: ''` (or a loose prefix) puts every variable in `import.meta.env`, JSON-escaped.",
    reports: [
      'https://github.com/vitejs/vite/pull/9880',
      'https://github.com/vitejs/vite/issues/11929',
    ],
    output: 'vite-build',
    privateValues: { DB_PASSWORD: 'fake-pa"ss\\word-8d' },
    findings: [{ key: 'DB_PASSWORD', file: 'assets/index-Dk29sL.js', form: 'json-escaped' }],
  },
  {
    name: 'source-map-sources-content',
    pattern:
      'Source maps ship the original sources (`sourcesContent`), JSON-escaped in a .map file or base64 in an inline map.',
    reports: [
      'https://github.com/getsentry/sentry-docs/pull/10637',
      'https://github.com/vitejs/vite/issues/15035',
    ],
    output: 'vite-build',
    privateValues: {
      MAPS_API_KEY: 'fake-maps-key-2b7f90',
      TLS_CERT: '-----BEGIN FAKE CERT-----\nZmFrZS1jZXJ0LWxpbmU\n-----END FAKE CERT-----',
      INLINE_TOKEN: 'fake-inline-token-5c8e1d',
    },
    findings: [
      { key: 'MAPS_API_KEY', file: 'assets/index-C8fA1e.js.map', form: 'raw' },
      { key: 'TLS_CERT', file: 'assets/index-C8fA1e.js.map', form: 'json-escaped' },
      { key: 'INLINE_TOKEN', file: 'assets/legacy-9f2e.js', form: 'base64' },
    ],
  },
  {
    name: 'env-file-in-public',
    pattern: 'A .env file copied into the served folder (public/, the web root) ships as is.',
    reports: [
      'https://github.com/helhum/dotenv-connector/issues/8',
      'https://github.com/kunokdev/cra-runtime-environment-variables/issues/22',
    ],
    output: 'vite-build',
    privateValues: { DATABASE_URL: 'postgres://shop:fake-env-pass-3e1@db:5432/shop' },
    findings: [{ key: 'DATABASE_URL', file: '.env', form: 'raw' }],
  },
  {
    name: 'basic-auth-header',
    pattern:
      'A Basic auth header built at build time: the password is base64 inside `user:password`.',
    reports: [
      'https://github.com/weeklydev/weeklydev.io/pull/4',
      'https://github.com/vshulcz/deja-vu/issues/171',
    ],
    output: 'vite-build',
    privateValues: { API_PASSWORD: 'fake-basic-password-42' },
    findings: [{ key: 'API_PASSWORD', file: 'assets/api-3kd9.js', form: 'base64' }],
  },
  {
    name: 'webmanifest-token',
    pattern: 'A token in the start_url of a public web manifest, URL-encoded.',
    reports: ['https://github.com/triangle-int/nolune/issues/88'],
    output: 'vite-build',
    privateValues: { SERVER_AUTH_TOKEN: 'fake+token/value==9' },
    findings: [{ key: 'SERVER_AUTH_TOKEN', file: 'manifest.webmanifest', form: 'url-encoded' }],
  },
  {
    name: 'yaml-config-in-public',
    pattern: 'A YAML config served from public/assets holds an API key.',
    reports: ['https://github.com/bastienwirtz/homer/issues/589'],
    output: 'vite-build',
    privateValues: { SONARR_API_KEY: 'fake-sonarr-apikey-0c2f4e' },
    findings: [{ key: 'SONARR_API_KEY', file: 'assets/config.yml', form: 'raw' }],
  },
  {
    name: 'html-inlined-json-unicode',
    pattern:
      'Page props inlined as HTML-safe JSON (`\\u003c`, `\\u0026`) in a prerendered page (`__NEXT_DATA__`).',
    reports: [
      'https://github.com/vercel/next.js/pull/37480',
      'https://github.com/veryfront/veryfront-code/issues/2251',
      'https://github.com/inertiajs/inertia/pull/3253',
    ],
    output: 'next-build',
    privateValues: { SMTP_PASSWORD: 'fake<smtp>&pass-11' },
    findings: [
      { key: 'SMTP_PASSWORD', file: 'server/pages/account.html', form: 'unicode-escaped' },
    ],
  },
  {
    name: 'html-attribute-entities',
    pattern:
      'Page props in an HTML attribute (Inertia `data-page`): JSON with HTML entities and `\\/`.',
    reports: [
      'https://github.com/inertiajs/inertia-laravel/issues/645',
      'https://github.com/inertiajs/inertia/issues/1435',
    ],
    output: 'laravel-public',
    privateValues: { MAILGUN_SECRET: 'fake-mg-key-7f3a&region=eu' },
    findings: [{ key: 'MAILGUN_SECRET', file: 'settings.html', form: 'html-entity' }],
  },
  {
    name: 'react-text-entities',
    pattern: 'A server component renders a private value as text: React escapes it with entities.',
    reports: [
      'https://github.com/dmno-dev/varlock/issues/535',
      'https://github.com/vercel/next.js/issues/95702',
    ],
    output: 'next-build',
    privateValues: { DB_PASSWORD: 'fake-p&ss<word>-22' },
    findings: [{ key: 'DB_PASSWORD', file: 'server/app/status.html', form: 'html-entity' }],
  },
  {
    name: 'minifier-split-strings',
    pattern:
      'A value left in pieces: `o="a";o+="b"` and `` `a`.concat("b") `` (esbuild does not fold them), `${"…"}`, dev builds.',
    reports: [
      'https://github.com/evanw/esbuild/issues/3444',
      'https://github.com/evanw/esbuild/issues/307',
    ],
    output: 'vite-build',
    privateValues: {
      SPLIT_PLUS_EQUALS: 'fake-split-secret-value-77',
      SPLIT_CONCAT: 'fake-concat-secret-88',
      SPLIT_TEMPLATE: 'fake-tpl-secret-99',
      SPLIT_DEV: 'fake-dev-joined-secret-55',
    },
    findings: [
      { key: 'SPLIT_PLUS_EQUALS', file: 'assets/vendor-7c1b.js', form: 'split-literal' },
      { key: 'SPLIT_CONCAT', file: 'assets/vendor-7c1b.js', form: 'split-literal' },
      { key: 'SPLIT_TEMPLATE', file: 'assets/vendor-7c1b.js', form: 'split-literal' },
      { key: 'SPLIT_DEV', file: 'assets/vendor-7c1b.js', form: 'split-literal' },
    ],
  },
  {
    name: 'url-encoded-query',
    pattern:
      'An API key in a query string, and a password in a form-encoded body (`+` for spaces).',
    reports: [
      'https://github.com/BetaNYC/nyc-boundaries/issues/39',
      'https://github.com/drewjw81/meteor-googlemaps/issues/6',
    ],
    output: 'vite-build',
    privateValues: { CARTO_API_KEY: 'fake/carto+key=1a', OAUTH_PASSWORD: 'fake pass phrase 11' },
    findings: [
      { key: 'CARTO_API_KEY', file: 'assets/map-4d2a.js', form: 'url-encoded' },
      { key: 'OAUTH_PASSWORD', file: 'assets/map-4d2a.js', form: 'url-encoded' },
    ],
  },
  {
    name: 'vite-define-generated-secret',
    pattern:
      "A framework plugin's `define` of a server secret reaches every environment, client included.",
    reports: ['https://github.com/cloudflare/vinext/issues/1587'],
    output: 'vite-build',
    privateValues: { DRAFT_MODE_SECRET: '0f6c1a52-fake-4c1e-b458-9715b9027660' },
    findings: [{ key: 'DRAFT_MODE_SECRET', file: 'assets/env-2b7d.js', form: 'raw' }],
  },
  {
    name: 'infisical-credential-in-bundle',
    pattern:
      'The Infisical credential itself ships (an envPrefix used as an allow-list of names, a token in a header).',
    reports: ['https://github.com/vitejs/vite/pull/17701'],
    output: 'vite-build',
    privateValues: {},
    credentials: [
      {
        label: 'INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET',
        value: 'fa4e0c7d9b1f2a3e5d6c8b0a1f2e3d4c5b6a7980fedcba9876543210fa4e0c7d',
      },
      {
        label: 'access token',
        value: 'eyJhbGciOiJIUzI1NiJ9.ZmFrZS1hY2Nlc3MtdG9rZW4.ZmFrZS1zaWduYXR1cmU',
      },
    ],
    findings: [
      { key: 'INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET', file: 'assets/index-9a8b.js', form: 'raw' },
      { key: 'access token', file: 'assets/index-9a8b.js', form: 'raw' },
    ],
  },
  {
    name: 'script-escaped-closing-tag',
    pattern: 'Config inlined in a <script> with `</` written `<\\/` (and `\\/` for every slash).',
    reports: ['https://github.com/shortlist-digital/tapestry-wp/pull/144'],
    output: 'vite-build',
    privateValues: { WEBHOOK_URL: 'https://hooks.example.test/fake</hook>secret-31' },
    findings: [{ key: 'WEBHOOK_URL', file: 'embed.html', form: 'json-escaped' }],
  },
  {
    name: 'framework-runtime-words',
    pattern:
      "Private values that are ordinary words of the framework's runtime (`anonymous` in Vite's modulepreload " +
      'polyfill, `production`, `no-store`): warnings naming the baseline file, not failures.',
    reports: [
      'https://github.com/vitejs/vite/pull/4058',
      'https://github.com/vitejs/vite/pull/13136',
    ],
    output: 'vite-build',
    baseline: ['baseline'],
    privateValues: { DB_USER: 'anonymous', NODE_ENV: 'production', CACHE_MODE: 'no-store' },
    findings: [],
    warnings: [
      {
        key: 'DB_USER',
        file: 'assets/index-1a2b.js',
        form: 'raw',
        reason: /baseline file .*preload-helper\.js/,
      },
      {
        key: 'NODE_ENV',
        file: 'assets/index-1a2b.js',
        form: 'raw',
        reason: /baseline file .*fetch-cache\.js/,
      },
      {
        key: 'CACHE_MODE',
        file: 'assets/index-1a2b.js',
        form: 'raw',
        reason: /baseline file .*fetch-cache\.js/,
      },
    ],
  },
  {
    name: 'public-values',
    pattern:
      'Values that are public by design: a private key holding the public anon key is not a leak; a ' +
      'private host inside a public URL is a warning.',
    reports: [
      'https://preflight.midatlantic.ai/learn/patterns/next-public-misuse',
      'https://github.com/dmno-dev/varlock/pull/1054',
    ],
    output: 'next-build',
    privateValues: {
      SUPABASE_ANON_KEY: 'eyJhbGciOiJIUzI1NiJ9.ZmFrZS1hbm9uLWtleQ.ZmFrZS1zaWc',
      API_HOST: 'api.fake-shop.example',
      SUPABASE_SERVICE_ROLE_KEY: 'eyJhbGciOiJIUzI1NiJ9.ZmFrZS1zZXJ2aWNl.ZmFrZS1zaWc',
    },
    publicValues: {
      NEXT_PUBLIC_SUPABASE_ANON_KEY: 'eyJhbGciOiJIUzI1NiJ9.ZmFrZS1hbm9uLWtleQ.ZmFrZS1zaWc',
      NEXT_PUBLIC_API_URL: 'https://api.fake-shop.example/v1',
    },
    findings: [],
    warnings: [
      {
        key: 'API_HOST',
        file: 'static/chunks/main-app-3c9d.js',
        form: 'raw',
        reason: /^its value is part of the public value of NEXT_PUBLIC_API_URL$/,
      },
    ],
  },
  {
    name: 'binary-assets',
    pattern:
      'Files are told apart by content, not name: a PNG and a Latin-1 file are skipped, a text file named .bin is read.',
    reports: [], // behaviour of the scanner, not a reported leak
    output: 'vite-build',
    privateValues: { ASSET_SECRET: 'fake-asset-secret-6e2d' },
    findings: [{ key: 'ASSET_SECRET', file: 'assets/payload-1f.bin', form: 'raw' }],
    skipped: [
      { file: 'assets/badge-77ab.png', reason: 'binary' },
      { file: 'assets/latin1-notes.txt', reason: 'binary' },
    ],
  },
  {
    name: 'too-short',
    pattern: 'Values shorter than the minimum are named once as too short to check, not searched.',
    reports: ['https://github.com/dmno-dev/varlock/pull/1054'],
    output: 'vite-build',
    privateValues: { DB_PORT: '5432', FEATURE: 'on', API_TOKEN: 'fake-unused-token-4410' },
    findings: [],
    tooShort: ['DB_PORT', 'FEATURE'],
  },
];

const fixture = (name: string): string =>
  fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));
const posix = (file: string | undefined): string => (file ?? '').split(sep).join('/');
const byKeyAndFile = (a: Expected, b: Expected): number =>
  `${a.file}\0${a.key}\0${a.form}` < `${b.file}\0${b.key}\0${b.form}` ? -1 : 1;

describe('the leak catalogue', () => {
  it.each(CATALOGUE.map((entry) => [entry.name, entry] as const))('%s', async (_name, entry) => {
    const root = fixture(entry.name);
    const scanner = createLeakScanner({
      privateValues: entry.privateValues,
      ...(entry.publicValues ? { publicValues: entry.publicValues } : {}),
      ...(entry.credentials ? { credentials: entry.credentials } : {}),
    });
    const report = await scanDirectory(`${root}/${entry.output}`, scanner, {
      ...(entry.baseline ? { baseline: entry.baseline.map((dir) => `${root}/${dir}`) } : {}),
    });

    const found = report.findings.map(({ key, file, form }) => ({ key, file: posix(file), form }));
    expect(found.sort(byKeyAndFile)).toEqual([...entry.findings].sort(byKeyAndFile));
    const warned = report.warnings.map(({ key, file, form }) => ({ key, file: posix(file), form }));
    const expectedWarnings = (entry.warnings ?? []).map(({ key, file, form }) => ({
      key,
      file,
      form,
    }));
    expect(warned.sort(byKeyAndFile)).toEqual(expectedWarnings.sort(byKeyAndFile));
    for (const warning of entry.warnings ?? []) {
      const actual = report.warnings.find((w) => w.key === warning.key);
      expect(actual?.reason).toMatch(warning.reason);
    }
    expect(report.skipped.map(({ file, reason }) => ({ file: posix(file), reason }))).toEqual(
      entry.skipped ?? [],
    );
    expect(report.tooShort).toEqual(entry.tooShort ?? []);
    for (const finding of report.findings) {
      expect(finding.line).toBeGreaterThan(0);
      expect(finding.column).toBeGreaterThan(0);
    }

    // Nothing the scanner gives back holds a value: not the report, the error, or the scanner.
    const outcome = leakOutcome(report, entry.output);
    const shown = [
      JSON.stringify(report),
      outcome.error?.message ?? '',
      JSON.stringify(outcome.error ?? null),
      outcome.warnings.join('\n'),
      inspect(scanner, { depth: 10 }),
      JSON.stringify(scanner),
    ].join('\n');
    const values = [
      ...Object.values(entry.privateValues),
      ...(entry.credentials ?? []).map((credential) => credential.value),
    ].filter((value) => value.length >= 6);
    for (const value of values) expect(shown).not.toContain(value);
    expect(outcome.error === undefined).toBe(entry.findings.length === 0);
  });
});
