/**
 * The values a leak scanner or a redactor looks for, read from its options: private secret
 * values by key (a `Map` or a record; any key, `__proto__` included), the Infisical credentials
 * by label, minus ignored keys, values that are also public, and values too short to check.
 *
 * @module
 */
import { checkOptionNames, invalidOption } from './options.js';

/** What a value is: a secret loaded from Infisical, or a credential used to log in. */
export type LeakValueKind = 'secret' | 'credential';

/** An Infisical credential to look for (a client secret, an access token), named by a label. */
export interface LeakCredential {
  /** Reported instead of the value, e.g. `INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET`, `access token`. */
  label: string;
  /** The credential itself. */
  value: string;
}

/** Values by key: a `Map` or a plain (or null-prototype) record. */
export type KeyedValues = ReadonlyMap<string, string> | Readonly<Record<string, string>>;

/** Options shared by `createLeakScanner` and `createRedactor`. */
export interface LeakValueOptions {
  /** The private secret values, by key. Every key is checked, `__proto__` included. */
  privateValues: KeyedValues;
  /**
   * Public values (by key, or a list). A private value equal to a public one is not looked for;
   * the scanner reports a private value found inside a public value as a warning.
   */
  publicValues?: KeyedValues | readonly string[];
  /** The Infisical credentials and access tokens: always looked for, never ignored or public. */
  credentials?: readonly LeakCredential[];
  /**
   * Values shorter than this (without surrounding whitespace, after decoding escapes) are not
   * looked for: they occur everywhere (`5432`, `true`). They are listed in `tooShort`.
   * @default 6
   */
  minLength?: number;
  /** Keys of private values not to look for. */
  ignore?: readonly string[];
}

/** One value looked for. */
export interface ValueEntry {
  readonly key: string;
  readonly kind: LeakValueKind;
  readonly value: string;
}

/** The values of a {@link LeakValueOptions}. */
export interface ResolvedValues {
  readonly entries: readonly ValueEntry[];
  /** Keys (and labels) of the values too short to check. */
  readonly tooShort: readonly string[];
  readonly minLength: number;
  /** The public values, each with its key when one was given. */
  readonly publicValues: ReadonlyMap<string, string | undefined>;
}

/** Default of {@link LeakValueOptions.minLength}. */
const DEFAULT_MIN_LENGTH = 6;

/** Option names of {@link LeakValueOptions}. */
export const VALUE_OPTION_NAMES: readonly string[] = [
  'privateValues',
  'publicValues',
  'credentials',
  'minLength',
  'ignore',
];

const MAX_MIN_LENGTH = 10_000;

function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** The entries of a `Map` or record option, checked to be strings. */
function keyedEntries(option: unknown, name: string, caller: string): Array<[string, string]> {
  let entries: Array<[unknown, unknown]>;
  if (option instanceof Map) entries = [...option.entries()];
  else if (isRecord(option)) entries = Object.entries(option);
  else {
    throw invalidOption(
      caller,
      `${name} must be a Map or a plain object of strings`,
      `pass ${name} by key`,
    );
  }
  for (const [key, value] of entries) {
    if (typeof key !== 'string') {
      throw invalidOption(caller, `${name} has a key that is not a string`, 'use string keys');
    }
    if (typeof value !== 'string') {
      throw invalidOption(
        caller,
        `${name}["${key}"] is ${typeof value}, not a string`,
        'pass values as strings',
      );
    }
  }
  return entries as Array<[string, string]>;
}

function stringList(option: unknown, name: string, caller: string): string[] {
  if (!Array.isArray(option) || option.some((item) => typeof item !== 'string')) {
    throw invalidOption(caller, `${name} must be an array of strings`, `pass ${name}: ['…']`);
  }
  return option as string[];
}

function publicValueMap(option: unknown, caller: string): Map<string, string | undefined> {
  if (option === undefined) return new Map();
  if (Array.isArray(option)) {
    return new Map(stringList(option, 'publicValues', caller).map((value) => [value, undefined]));
  }
  return new Map(keyedEntries(option, 'publicValues', caller).map(([key, value]) => [value, key]));
}

function credentialList(option: unknown, caller: string): LeakCredential[] {
  if (option === undefined) return [];
  if (!Array.isArray(option)) {
    throw invalidOption(
      caller,
      'credentials must be an array',
      'pass credentials: [{ label, value }]',
    );
  }
  return option.map((item: unknown, index) => {
    checkOptionNames(item, ['label', 'value'], `${caller}: credentials[${index}]`);
    if (typeof item.label !== 'string' || item.label === '') {
      throw invalidOption(
        caller,
        `credentials[${index}].label must be a non-empty string`,
        'name the credential',
      );
    }
    if (typeof item.value !== 'string') {
      throw invalidOption(
        caller,
        `credentials[${index}] (${item.label}) has no string value`,
        'pass the value as a string',
      );
    }
    return { label: item.label, value: item.value };
  });
}

function minLengthOf(option: unknown, caller: string): number {
  if (option === undefined) return DEFAULT_MIN_LENGTH;
  if (
    typeof option !== 'number' ||
    !Number.isInteger(option) ||
    option < 1 ||
    option > MAX_MIN_LENGTH
  ) {
    throw invalidOption(
      caller,
      `minLength must be an integer from 1 to ${MAX_MIN_LENGTH}`,
      `leave it out for ${DEFAULT_MIN_LENGTH}`,
    );
  }
  return option;
}

/**
 * Reads and checks the value options of `caller`.
 *
 * @throws InfisicalError `CONFIG_INVALID` naming the option (and key) that is wrong, never a value.
 */
export function resolveValues(options: Record<string, unknown>, caller: string): ResolvedValues {
  if (options.privateValues === undefined) {
    throw invalidOption(
      caller,
      'privateValues is missing',
      'pass privateValues: the private values by key',
    );
  }
  const minLength = minLengthOf(options.minLength, caller);
  const ignored = new Set(
    options.ignore === undefined ? [] : stringList(options.ignore, 'ignore', caller),
  );
  const publicValues = publicValueMap(options.publicValues, caller);
  const entries: ValueEntry[] = [];
  const tooShort: string[] = [];
  const add = (key: string, kind: ValueEntry['kind'], value: string): void => {
    const length = value.trim().length;
    if (length === 0) return;
    if (length < minLength) tooShort.push(key);
    else entries.push({ key, kind, value });
  };
  for (const [key, value] of keyedEntries(options.privateValues, 'privateValues', caller)) {
    if (!ignored.has(key) && !publicValues.has(value)) add(key, 'secret', value);
  }
  for (const { label, value } of credentialList(options.credentials, caller)) {
    add(label, 'credential', value);
  }
  return { entries, tooShort, minLength, publicValues };
}
