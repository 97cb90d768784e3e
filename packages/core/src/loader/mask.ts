/**
 * How a secret value is shown where it must not be given away (example apps, dashboards,
 * support screens): its length, and its last two characters when it is long enough for two to
 * say little. One format everywhere, so a rotation reads the same in every place.
 *
 * @module
 */

/** Values shorter than this show none of their characters. */
const MIN_LENGTH_FOR_TAIL = 8;

/**
 * A secret value masked for display: `…03 (19 characters)` for `demo-api-token-0003`,
 * `… (5 characters)` for a value shorter than 8 characters.
 */
export function maskSecret(value: string): string {
  const tail = value.length >= MIN_LENGTH_FOR_TAIL ? value.slice(-2) : '';
  return `…${tail} (${value.length} character${value.length === 1 ? '' : 's'})`;
}
