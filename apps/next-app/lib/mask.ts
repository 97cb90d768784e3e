/** A secret shown without giving it away: its last two characters and its length. */
export function mask(value: string): string {
  return `…${value.slice(-2)} (${value.length} characters)`;
}
