/**
 * @module scripts/readme-blocks/extract
 * Finds the TypeScript code blocks (```ts, ```tsx) of a README and the HTML-comment markers
 * written on the lines just above each (blank lines between are allowed):
 *
 * - `<!-- fragment -->` (optionally `<!-- fragment: why -->`): not type-checked on its own;
 * - `<!-- continues -->`: checked after the previous TypeScript block of the same README, in one
 *   file, so it shares that block's imports and declarations;
 * - `<!-- prelude: …code… -->` (may span lines): code placed before the block in its file, unseen
 *   by readers, e.g. `import express from 'express'; const app = express();`;
 * - `<!-- quickstart: <framework> file=<path> -->`: read by scripts/quickstart (see there).
 */

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/;
const TS_LANGS = new Set(['ts', 'typescript', 'tsx']);

/**
 * @typedef {object} Marker
 * @property {string} kind - `fragment`, `continues`, `prelude`, `quickstart` or another word
 * @property {string} body - the text after `kind` (and its colon), trimmed
 * @property {number} line - 1-based line of the comment's start
 */

/**
 * @typedef {object} Block
 * @property {number} line - 1-based line of the opening fence
 * @property {string} lang - `ts` or `tsx`
 * @property {string} code - the block's text, its fence indentation removed
 * @property {Marker[]} markers - the markers just above it
 */

/** Every fenced block of a README (any language), with its markers. */
export function extractBlocks(markdown) {
  const lines = markdown.split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, lang] = open;
    const body = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      if (lines[j].trim().startsWith(fence) && lines[j].trim().replace(/[`~]/g, '') === '') break;
      body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j].trimStart());
    }
    blocks.push({
      line: i + 1,
      lang: lang.toLowerCase(),
      code: body.join('\n'),
      markers: markersAbove(lines, i),
    });
    i = j;
  }
  return blocks;
}

/** Only the TypeScript blocks, `typescript` named `ts`. */
export function typeScriptBlocks(markdown) {
  return extractBlocks(markdown)
    .filter((block) => TS_LANGS.has(block.lang))
    .map((block) => ({ ...block, lang: block.lang === 'tsx' ? 'tsx' : 'ts' }));
}

/** The HTML comments directly above line `fenceIndex` (0-based), nearest last. */
function markersAbove(lines, fenceIndex) {
  const markers = [];
  let k = fenceIndex - 1;
  for (;;) {
    while (k >= 0 && lines[k].trim() === '') k--;
    if (k < 0 || !lines[k].trim().endsWith('-->')) break;
    let start = k;
    while (start >= 0 && !lines[start].includes('<!--')) start--;
    if (start < 0) break;
    const text = lines
      .slice(start, k + 1)
      .join('\n')
      .replace(/^\s*<!--/, '')
      .replace(/-->\s*$/, '');
    const match = /^\s*([\w-]+)\s*:?\s*([\s\S]*)$/.exec(text);
    if (match)
      markers.unshift({ kind: match[1].toLowerCase(), body: match[2].trim(), line: start + 1 });
    k = start - 1;
  }
  return markers;
}
