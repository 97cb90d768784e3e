/**
 * Reads and validates seed files (YAML, of which JSON is a subset) and seed objects, with errors
 * that name the file, the place in it and the problem.
 *
 * @module seed/load
 */
import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { ZodIssue } from 'zod';
import { rsaKeyPairFromPem } from '../cloud/rs256.js';
import { loadFast } from './fast-yaml.js';
import { type Seed, type SeedInput, seedSchema } from './schema.js';

/** A seed that cannot be used: names the file, the place in it and the problem. */
export class SeedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SeedError';
  }
}

/** Reads and validates a YAML or JSON seed file. Throws `SeedError` naming file, place and problem. */
export function loadSeedFile(file: string): Seed {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SeedError(
      `${file}: cannot read the seed file (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  return parseSeedText(text, file);
}

/** Parses seed text (YAML, of which JSON is a subset). `source` names it in errors. */
export function parseSeedText(text: string, source = 'seed'): Seed {
  // A seed read cleanly by the fast reader and valid is done; any problem is found again, with
  // its line and column, by the careful reading below.
  const fast = loadFast(text);
  if (fast !== undefined) {
    try {
      return validateSeed(fast.value ?? {}, source, () => '');
    } catch (error) {
      if (!(error instanceof SeedError)) throw error;
    }
  }
  // The library's own duplicate-key check compares every key with every other (quadratic in a
  // map's size); the one below keeps a set per map. Lines and columns are worked out only for an
  // error (counting them while parsing costs a fifth of the parse).
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  const lines = positions(text);
  const [syntaxError] = doc.errors;
  if (syntaxError) {
    const at = lines.linePos(syntaxError.pos[0]);
    const problem = (syntaxError.message.split('\n')[0] ?? '').replace(
      / at line \d+, column \d+:?$/,
      '',
    );
    throw new SeedError(`${source}:${at.line}:${at.col}: ${problem}`);
  }
  const duplicate = firstDuplicateKey(doc.contents);
  if (duplicate) {
    const pos = lines.linePos(duplicate.offset);
    const first = lines.linePos(duplicate.firstOffset);
    throw new SeedError(
      `${source}:${pos.line}:${pos.col}: duplicate key "${duplicate.key}" (first at line ${first.line}); keys of a map must be unique`,
    );
  }
  const raw = doc.toJS() ?? {};
  return validateSeed(raw, source, (path) => {
    const node = doc.getIn(path, true) as { range?: [number, number] } | undefined;
    const offset = node?.range?.[0] ?? findParentOffset(doc, path);
    if (offset === undefined) return '';
    const pos = lines.linePos(offset);
    return `:${pos.line}:${pos.col}`;
  });
}

/** Line and column (1-based) of offsets in a text, the line starts found on first use. */
function positions(text: string): { linePos(offset: number): { line: number; col: number } } {
  let starts: number[] | undefined;
  return {
    linePos(offset) {
      if (!starts) {
        starts = [0];
        for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1))
          starts.push(i + 1);
      }
      let low = 0;
      let high = starts.length - 1;
      while (low < high) {
        const mid = (low + high + 1) >> 1;
        if ((starts[mid] as number) <= offset) low = mid;
        else high = mid - 1;
      }
      return { line: low + 1, col: offset - (starts[low] as number) + 1 };
    },
  };
}

/** A key that appears twice in one map, with the offsets of both. */
interface DuplicateKey {
  key: string;
  offset: number;
  firstOffset: number;
}

/** The first key (in document order) that appears twice in one map: one set per map, each node seen once. */
function firstDuplicateKey(node: unknown): DuplicateKey | undefined {
  if (isSeq(node)) {
    for (const item of node.items) {
      const found = firstDuplicateKey(item);
      if (found) return found;
    }
    return undefined;
  }
  if (!isMap(node)) return undefined;
  const seen = new Map<unknown, number>();
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? pair.key.value : pair.key;
    const offset = (isScalar(pair.key) ? pair.key.range?.[0] : undefined) ?? 0;
    const first = seen.get(key);
    if (first !== undefined) return { key: String(key), offset, firstOffset: first };
    seen.set(key, offset);
    const found = firstDuplicateKey(pair.value);
    if (found) return found;
  }
  return undefined;
}

/** Validates a seed object (as given to `startEmulator({ seed })`). */
export function parseSeed(input: SeedInput | unknown, source = 'seed'): Seed {
  return validateSeed(input, source, () => '');
}

function validateSeed(
  raw: unknown,
  source: string,
  locate: (path: (string | number)[]) => string,
): Seed {
  const result = seedSchema.safeParse(raw);
  if (!result.success) {
    const messages = result.error.issues
      .slice(0, 5)
      .map((issue) => describe(issue, source, locate));
    const more =
      result.error.issues.length > 5 ? `\n(and ${result.error.issues.length - 5} more)` : '';
    throw new SeedError(`invalid seed:\n${messages.join('\n')}${more}`);
  }
  checkReferences(result.data, source);
  return result.data;
}

function describe(
  issue: ZodIssue,
  source: string,
  locate: (path: (string | number)[]) => string,
): string {
  const place = formatPath(issue.path);
  let problem = issue.message;
  if (issue.code === 'unrecognized_keys')
    problem = `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  if (issue.code === 'invalid_type' && issue.received === 'undefined') problem = 'is required';
  else if (issue.code === 'invalid_type')
    problem = `expected ${issue.expected}, got ${issue.received}`;
  if (issue.code === 'invalid_union') {
    const missing = issue.unionErrors.every((e) =>
      e.issues.some((i) => i.code === 'invalid_type' && i.received === 'undefined'),
    );
    problem = missing ? 'is required' : 'expected a string, number or boolean';
  }
  const at =
    issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] as string] : issue.path;
  return `${source}${locate(at)}: ${place || '(top level)'}: ${problem}`;
}

function formatPath(path: (string | number)[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`))
    .join('');
}

function findParentOffset(
  doc: ReturnType<typeof parseDocument>,
  path: (string | number)[],
): number | undefined {
  for (let end = path.length - 1; end >= 0; end--) {
    const node = doc.getIn(path.slice(0, end), true) as { range?: [number, number] } | undefined;
    if (node?.range) return node.range[0];
  }
  return undefined;
}

/** Cross-field checks zod cannot express: unique names, known projects, environments and users. */
function checkReferences(seed: Seed, source: string): void {
  const fail = (place: string, problem: string): never => {
    throw new SeedError(`invalid seed:\n${source}: ${place}: ${problem}`);
  };
  const projectSlugs = new Set<string>();
  const identityNames = new Set<string>();
  const clientIds = new Set<string>();
  seed.identities.forEach((identity, i) => {
    if (identityNames.has(identity.name))
      fail(`identities[${i}].name`, `duplicate identity "${identity.name}"`);
    identityNames.add(identity.name);
    const clientId = identity.universalAuth?.clientId;
    if (clientId && clientIds.has(clientId))
      fail(`identities[${i}].universalAuth.clientId`, 'duplicate clientId');
    if (clientId) clientIds.add(clientId);
  });
  seed.projects.forEach((project, p) => {
    if (projectSlugs.has(project.slug))
      fail(`projects[${p}].slug`, `duplicate project "${project.slug}"`);
    projectSlugs.add(project.slug);
    const envSlugs = project.environments.map((env) => env.slug);
    project.environments.forEach((env, e) => {
      if (envSlugs.indexOf(env.slug) !== e)
        fail(`projects[${p}].environments[${e}].slug`, `duplicate environment "${env.slug}"`);
      for (const [path, imports] of Object.entries(env.imports)) {
        imports.forEach((imp, i) => {
          if (!envSlugs.includes(imp.environment))
            fail(
              `projects[${p}].environments[${e}].imports.${path}[${i}].environment`,
              `unknown environment "${imp.environment}" (project "${project.slug}" has ${envSlugs.join(', ')})`,
            );
        });
      }
      for (const user of Object.keys(env.personalSecrets)) {
        const identity = seed.identities.find((candidate) => candidate.name === user);
        if (!identity)
          fail(
            `projects[${p}].environments[${e}].personalSecrets.${user}`,
            `unknown identity "${user}"`,
          );
        else if (!identity.user)
          fail(
            `projects[${p}].environments[${e}].personalSecrets.${user}`,
            `identity "${user}" is not a user (set "user: true"): only users have personal secrets`,
          );
      }
    });
  });
  checkCloud(seed, fail);
  seed.identities.forEach((identity, i) => {
    for (const project of Object.keys(identity.projects)) {
      const known = seed.projects.some(
        (candidate) => candidate.slug === project || candidate.id === project,
      );
      if (!known) fail(`identities[${i}].projects.${project}`, `unknown project "${project}"`);
    }
  });
}

/** Cloud stand-in checks: unique keys and names, one instance role, one container role, usable keys. */
function checkCloud(seed: Seed, fail: (place: string, problem: string) => never): void {
  const { aws, gcp, kubernetes } = seed.cloud;
  const keyIds = new Set<string>();
  aws?.accounts.forEach((account, i) => {
    const place = `cloud.aws.accounts[${i}]`;
    if (keyIds.has(account.accessKeyId)) fail(`${place}.accessKeyId`, 'duplicate accessKeyId');
    keyIds.add(account.accessKeyId);
    if (!account.arn.includes(`::${account.accountId}:`)) {
      fail(`${place}.arn`, `the ARN is not in account ${account.accountId}`);
    }
  });
  if ((aws?.accounts.filter((account) => account.imdsRole !== undefined).length ?? 0) > 1) {
    fail('cloud.aws.accounts', 'only one account can have imdsRole (the instance profile)');
  }
  if ((aws?.accounts.filter((account) => account.ecs).length ?? 0) > 1) {
    fail('cloud.aws.accounts', 'only one account can have ecs: true (the task role)');
  }
  const emails = new Set<string>();
  gcp?.serviceAccounts.forEach((account, i) => {
    const place = `cloud.gcp.serviceAccounts[${i}]`;
    if (emails.has(account.email))
      fail(`${place}.email`, `duplicate service account "${account.email}"`);
    emails.add(account.email);
    if (account.privateKey !== undefined) {
      try {
        rsaKeyPairFromPem(account.privateKey);
      } catch {
        fail(`${place}.privateKey`, 'not a readable PKCS#8 RSA private key');
      }
    }
  });
  if (gcp?.defaultServiceAccount !== undefined && !emails.has(gcp.defaultServiceAccount)) {
    fail(
      'cloud.gcp.defaultServiceAccount',
      `unknown service account "${gcp.defaultServiceAccount}"`,
    );
  }
  const accounts = new Set<string>();
  kubernetes?.serviceAccounts.forEach((account, i) => {
    const key = `${account.namespace}/${account.name}`;
    if (accounts.has(key))
      fail(`cloud.kubernetes.serviceAccounts[${i}]`, `duplicate service account "${key}"`);
    accounts.add(key);
  });
}
