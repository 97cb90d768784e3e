/**
 * @module scripts/quickstart/markers
 * Reads an adapter README's quick-start: the code blocks and checks marked with
 * `<!-- quickstart: <framework> … -->` comments (see ../readme-blocks/extract.mjs for where markers
 * sit). Attributes are `key=value` or `key="value with spaces"`:
 *
 * - before a code block, `file=<path>`: the block is written to that path of the fresh project
 *   (replacing the starter's file); `install` instead (on a ```sh block): its `npm install` lines
 *   are run, with every `@infisical/*` name taken from the packed tarballs;
 * - anywhere, `request=<path> expect="<text>"` (optionally `port=<n>` when the README's code
 *   listens on a fixed port): once the app runs, GET that path and expect the text in the answer
 *   (for a page, also in the scripts it loads; HTML comments are ignored).
 */
import { extractBlocks } from '../readme-blocks/extract.mjs';

const ATTRIBUTE = /([\w-]+)(?:=(?:"([^"]*)"|(\S+)))?/g;

/** The attributes of a marker body after the framework name. */
function attributes(text) {
  const attrs = {};
  for (const match of text.matchAll(ATTRIBUTE)) attrs[match[1]] = match[2] ?? match[3] ?? true;
  return attrs;
}

/**
 * @typedef {object} QuickStart
 * @property {{ path: string, code: string, line: number }[]} files - blocks to write
 * @property {{ command: string, line: number }[]} installs - `npm install …` lines to run
 * @property {{ path: string, expect: string, port?: number, line: number }[]} checks - requests
 */

/**
 * The quick-start of every framework a README marks.
 * @param {string} markdown
 * @returns {Map<string, QuickStart>}
 */
export function quickStarts(markdown) {
  const plans = new Map();
  const plan = (framework) => {
    if (!plans.has(framework)) plans.set(framework, { files: [], installs: [], checks: [] });
    return plans.get(framework);
  };
  const seen = new Set();
  const blocks = extractBlocks(markdown);
  for (const block of blocks) {
    for (const marker of block.markers.filter((m) => m.kind === 'quickstart')) {
      seen.add(marker.line);
      const [framework, ...rest] = marker.body.split(/\s+/);
      const attrs = attributes(rest.join(' '));
      if (attrs.file)
        plan(framework).files.push({ path: attrs.file, code: block.code, line: block.line });
      if (attrs.install) {
        for (const command of block.code.split('\n').map((l) => l.trim()))
          if (/^npm (install|i|add)\b/.test(command))
            plan(framework).installs.push({ command, line: block.line });
      }
      if (attrs.request) addCheck(plan(framework), attrs, marker.line);
    }
  }
  // Check markers that stand alone (no code block right below them).
  const lines = markdown.split('\n');
  for (const [index, line] of lines.entries()) {
    const match = /<!--\s*quickstart:\s*(\S+)\s+([^>]*?)-->/.exec(line);
    if (!match || seen.has(index + 1)) continue;
    const attrs = attributes(match[2]);
    if (attrs.request) addCheck(plan(match[1]), attrs, index + 1);
  }
  return plans;
}

function addCheck(quickStart, attrs, line) {
  quickStart.checks.push({
    path: attrs.request,
    expect: typeof attrs.expect === 'string' ? attrs.expect : '',
    ...(attrs.port ? { port: Number(attrs.port) } : {}),
    line,
  });
}
