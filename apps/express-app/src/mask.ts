/** A secret as the app shows it: its length and last two characters, never the value. */
export interface MaskedSecret {
  length: number;
  /** The last two characters; empty for values shorter than 8, where two would say too much. */
  last2: string;
}

/** Masks a value for a response (`null` when the key is not set). */
export function mask(value: string | undefined): MaskedSecret | null {
  if (value === undefined) return null;
  return { length: value.length, last2: value.length >= 8 ? value.slice(-2) : '' };
}
