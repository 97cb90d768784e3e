/** What the app shows of a secret: its length and last two characters, never the value. */
export interface MaskedSecret {
  name: string;
  length: number;
  last2: string;
  masked: string;
}

/** Masks a secret value for display. */
export function mask(name: string, value: string): MaskedSecret {
  const last2 = value.length > 8 ? value.slice(-2) : '';
  return {
    name,
    length: value.length,
    last2,
    masked: `${'*'.repeat(Math.min(value.length - last2.length, 12))}${last2}`,
  };
}
