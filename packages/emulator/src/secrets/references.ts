import { normalizePath } from '../state/store.js';

/** `${KEY}`, `${env.KEY}`, `${env.a.b.KEY}`. */
const REFERENCE = /\$\{([\w.-]+)\}/g;
/** References are followed at most this deep (the newest server's limit). */
export const MAX_REFERENCE_DEPTH = 10;

/** What a reference resolves to: `exists` is false when no such secret is stored. */
export interface ResolvedReference {
  value: string;
  exists: boolean;
}

/** Looks a secret up by environment, folder path and key (personal before shared for users). */
export type ReferenceLookup = (environment: string, path: string, key: string) => ResolvedReference;

/** Where a secret lives: its environment, folder path and key. */
export interface SecretLocation {
  environment: string;
  path: string;
  key: string;
}

/** Whether a value holds at least one reference. */
export const hasReference = (value: string): boolean => new RegExp(REFERENCE.source).test(value);

/** The target a reference points at, seen from a secret in `environment` and `path`. */
export function parseReference(inner: string, environment: string, path: string): SecretLocation {
  const parts = inner.trim().split('.');
  if (parts.length === 1) return { environment, path, key: parts[0] as string };
  return {
    environment: parts[0] as string,
    path: normalizePath(`/${parts.slice(1, -1).join('/')}`),
    key: parts[parts.length - 1] as string,
  };
}

const locationId = (l: SecretLocation): string => `${l.environment}:${l.path}:${l.key}`;

/**
 * Expands the references in a secret's value as the server does: a reference resolves in the
 * environment and folder of the secret that holds it; nested references are followed to
 * {@link MAX_REFERENCE_DEPTH}; a cycle stops the descent; a missing or empty reference stays
 * literal; replacement is literal text. With `skipMultilineEncoding`, a multi-line result is
 * quoted with `\n` escapes.
 */
export function expandReferences(
  value: string,
  at: SecretLocation,
  lookup: ReferenceLookup,
  skipMultilineEncoding = false,
): string {
  if (!value || !hasReference(value)) return value;
  let expanded = value;
  const rootFrame = (text: string) => ({
    value: text,
    environment: at.environment,
    path: at.path,
    depth: 0,
    visited: new Set([locationId(at)]),
  });
  const stack = [rootFrame(value)];
  let before = new Set(references(expanded));
  let pass = 0;
  while (stack.length > 0) {
    const frame = stack.pop() as ReturnType<typeof rootFrame>;
    const refs = frame.depth > MAX_REFERENCE_DEPTH ? [] : references(frame.value);
    for (const ref of refs) {
      const target = parseReference(ref.slice(2, -1), frame.environment, frame.path);
      const resolved = lookup(target.environment, target.path, target.key);
      const id = locationId(target);
      if (hasReference(resolved.value) && !frame.visited.has(id)) {
        stack.push({
          value: resolved.value,
          environment: target.environment,
          path: target.path,
          depth: frame.depth + 1,
          visited: new Set([...frame.visited, id]),
        });
      }
      if (resolved.exists && resolved.value !== '')
        expanded = expanded.replaceAll(ref, () => resolved.value);
    }
    // Substitution can form a new reference (`${dev.${VENDOR}.KEY}`): rescan the result.
    if (stack.length === 0 && pass < MAX_REFERENCE_DEPTH) {
      const after = references(expanded);
      if (after.some((ref) => !before.has(ref))) {
        before = new Set(after);
        pass++;
        stack.push(rootFrame(expanded));
      }
    }
  }
  return skipMultilineEncoding && expanded.includes('\n')
    ? `"${expanded.replaceAll('\n', '\\n')}"`
    : expanded;
}

/**
 * Rewrites references to a renamed secret (`${OLD}` from its own folder, `${env.path.OLD}` from
 * anywhere) to the new name, keeping each reference's syntax. Returns undefined when unchanged.
 */
export function renameReferences(
  value: string,
  holder: { environment: string; path: string },
  renamed: SecretLocation,
  newKey: string,
): string | undefined {
  let changed = false;
  const next = value.replace(REFERENCE, (whole, inner: string) => {
    const target = parseReference(inner, holder.environment, holder.path);
    if (locationId(target) !== locationId(renamed)) return whole;
    changed = true;
    const parts = inner.trim().split('.');
    parts[parts.length - 1] = newKey;
    return `\${${parts.join('.')}}`;
  });
  return changed ? next : undefined;
}

function references(value: string): string[] {
  return [...value.matchAll(REFERENCE)].map((match) => match[0]);
}
