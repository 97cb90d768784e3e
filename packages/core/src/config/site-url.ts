/**
 * The site URL check: an absolute http(s) URL of the instance, without credentials, query,
 * fragment or a trailing `/api` (the client adds the API paths itself).
 *
 * @module
 */
import { InfisicalError } from '../errors/infisical-error.js';

/**
 * The checked base URL: origin and path prefix, trailing slashes dropped.
 *
 * @throws InfisicalError `CONFIG_INVALID` naming what is wrong with `siteUrl` and the fix.
 */
export function parseSiteUrl(siteUrl: unknown): string {
  const fix = 'Fix: pass the base URL of the instance, such as https://app.infisical.com.';
  let url: URL;
  try {
    url = new URL(typeof siteUrl === 'string' ? siteUrl : '');
  } catch (cause) {
    throw new InfisicalError('CONFIG_INVALID', `siteUrl is not an absolute URL. ${fix}`, {
      cause,
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InfisicalError('CONFIG_INVALID', `siteUrl must use http or https. ${fix}`);
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new InfisicalError(
      'CONFIG_INVALID',
      `siteUrl must not contain credentials, a query string or a fragment. ${fix}`,
    );
  }
  const path = url.pathname.replace(/\/+$/, '');
  if (/\/api$/i.test(path)) {
    throw new InfisicalError(
      'CONFIG_INVALID',
      `siteUrl ends in /api, but the client adds /api/... to it. Fix: pass the instance's base URL without /api, such as ${url.origin}${path.slice(0, -4)}.`,
    );
  }
  return url.origin + path;
}
