/**
 * The fast reading of a seed: `js-yaml` (several times quicker than `yaml` on a 50,000-secret
 * file) with a schema that resolves plain scalars exactly as `yaml`'s YAML 1.2 core schema does.
 * Anything it cannot read cleanly — a syntax error, a duplicate key, several documents, anchors
 * and aliases, a null key — is left to the `yaml` reading, which knows the lines and columns to
 * report and limits alias expansion.
 *
 * @module seed/fast-yaml
 */
import { FAILSAFE_SCHEMA, load, Type } from 'js-yaml';

const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT = /^[-+]?[0-9]+$/;
const INT_OCT = /^0o[0-7]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*|(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+)$/;
const FLOAT_SPECIAL = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;

const scalar = (tag: string, test: RegExp, construct: (text: string) => unknown): Type =>
  new Type(`tag:yaml.org,2002:${tag}`, {
    kind: 'scalar',
    resolve: (text: string | null) => test.test(text ?? ''),
    construct: (text: string | null) => construct(text ?? ''),
  });

const INT_ANY = new RegExp(`${INT.source}|${INT_OCT.source}|${INT_HEX.source}`);
const FLOAT_ANY = new RegExp(`${FLOAT.source}|${FLOAT_SPECIAL.source}`);

/** Plain scalars resolved as `yaml`'s core schema resolves them (no `1_000`, no `0b1`); js-yaml keeps one type per tag. */
const CORE_AS_YAML = FAILSAFE_SCHEMA.extend({
  implicit: [
    scalar('null', NULL, () => null),
    scalar('bool', BOOL, (text) => text.toLowerCase() === 'true'),
    scalar('int', INT_ANY, (text) =>
      INT_OCT.test(text)
        ? Number.parseInt(text.slice(2), 8)
        : INT_HEX.test(text)
          ? Number.parseInt(text.slice(2), 16)
          : Number.parseInt(text, 10),
    ),
    scalar('float', FLOAT_ANY, (text) => {
      if (!FLOAT_SPECIAL.test(text)) return Number.parseFloat(text);
      if (text.slice(-3).toLowerCase() === 'nan') return Number.NaN;
      return text.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    }),
  ],
});

/**
 * Whether a map anywhere holds the key `null`: js-yaml names a null key `null` where `yaml` names
 * it `""`, so such a document goes to the careful reading.
 */
function hasNullKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasNullKey);
  if (value === null || typeof value !== 'object') return false;
  if (Object.hasOwn(value, 'null')) return true;
  for (const child of Object.values(value)) if (hasNullKey(child)) return true;
  return false;
}

/** Something that may be an anchor: aliases are left to `yaml`, which limits their expansion. */
const ANCHOR = /(?:^|[\s[{,])&\S/;

/** The seed text read quickly, or `undefined` when only the careful reading should judge it. */
export function loadFast(text: string): { value: unknown } | undefined {
  if (ANCHOR.test(text)) return undefined;
  let value: unknown;
  try {
    value = load(text, { schema: CORE_AS_YAML, json: false });
  } catch {
    return undefined;
  }
  return hasNullKey(value) ? undefined : { value };
}
