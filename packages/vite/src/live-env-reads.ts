/**
 * Dev-server support for rotation: Vite computes `import.meta.env` once at startup, so the plugin
 * writes the current public values into each module's `import.meta.env.KEY` reads itself.
 *
 * @module
 */

const ENV_READ = /\bimport\.meta\.env\.([A-Za-z_$][\w$]*)/g;

/**
 * `code` with every `import.meta.env.KEY` read of a key in `values` replaced by the value as a
 * string literal, or `undefined` when there is none.
 */
export function inlineEnvReads(
  code: string,
  values: Readonly<Record<string, string>>,
): string | undefined {
  let replaced = false;
  const next = code.replace(ENV_READ, (read, key: string) => {
    const value = Object.hasOwn(values, key) ? values[key] : undefined;
    if (value === undefined) return read;
    replaced = true;
    return JSON.stringify(value);
  });
  return replaced ? next : undefined;
}
