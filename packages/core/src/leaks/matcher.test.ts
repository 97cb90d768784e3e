import { describe, expect, it } from 'vitest';
import { createMatcher } from './matcher.js';

/** A small seeded random generator, so failures reproduce. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomString(next: () => number, alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(next() * alphabet.length)];
  return out;
}

/** Every occurrence of every pattern, by `indexOf`: the reference. */
function naive(patterns: readonly string[], text: string): string[] {
  const found: string[] = [];
  patterns.forEach((pattern, id) => {
    for (let at = text.indexOf(pattern); at >= 0; at = text.indexOf(pattern, at + 1)) {
      found.push(`${id}@${at}-${at + pattern.length}`);
    }
  });
  return found.sort();
}

function matches(patterns: readonly string[], text: string, from = 0, to = text.length): string[] {
  const found: string[] = [];
  createMatcher(patterns).scan(text, from, to, (id, start, end) =>
    found.push(`${id}@${start}-${end}`),
  );
  return found.sort();
}

describe('createMatcher', () => {
  it('finds what indexOf finds: overlapping patterns, prefixes and suffixes of one another', () => {
    const next = random(1);
    const patterns = [
      ...new Set(
        Array.from({ length: 300 }, () => randomString(next, 'abc', 1 + Math.floor(next() * 6))),
      ),
    ];
    const text = randomString(next, 'abcd', 20_000);
    expect(matches(patterns, text)).toEqual(naive(patterns, text));
  });

  it('stays exact when most states are past the dense rows (many long patterns)', () => {
    const next = random(2);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const patterns = [
      ...new Set(
        Array.from({ length: 4000 }, () =>
          randomString(next, alphabet, 40 + Math.floor(next() * 60)),
        ),
      ),
    ];
    let text = '';
    for (let i = 0; i < 400; i++) {
      text += randomString(next, alphabet, Math.floor(next() * 200));
      const pattern = patterns[Math.floor(next() * patterns.length)] as string;
      // Whole patterns, and near misses that fail deep in the trie.
      text += next() < 0.5 ? pattern : pattern.slice(0, pattern.length - 1);
    }
    const found = matches(patterns, text);
    expect(found.length).toBeGreaterThan(150);
    expect(found).toEqual(naive(patterns, text));
  });

  it('scans only between from and to, and handles any code unit (astral characters, U+FFFF)', () => {
    const patterns = ['😀x', '\uffff\u0000', 'é'];
    const text = 'é😀x\uffff\u0000é';
    expect(matches(patterns, text)).toEqual(naive(patterns, text));
    expect(matches(patterns, text, 1, 5)).toEqual(['0@1-4']);
  });

  it('reads through escapes and reports spans of the original text', () => {
    const text = 'k=a\\u003Cb; a&lt;b, a%3cb a&#60;b a\\x3Cb <\\/p> x\\u{1F600}y';
    const found: string[] = [];
    createMatcher(['a<b', '</p>', 'x😀y']).scan(text, 0, text.length, (_id, start, end) =>
      found.push(text.slice(start, end)),
    );
    expect(found).toEqual([
      'a\\u003Cb',
      'a&lt;b',
      'a%3cb',
      'a&#60;b',
      'a\\x3Cb',
      '<\\/p>',
      'x\\u{1F600}y',
    ]);
  });

  it('maps the start back through many escapes inside one match', () => {
    const value = 'p<a>s&s"w/o\\r d';
    const escaped = [...value].map((char) => `&#x${char.codePointAt(0)?.toString(16)};`).join('');
    const text = `before ${escaped} after`;
    const found: Array<[number, number]> = [];
    createMatcher([value]).scan(text, 0, text.length, (_id, start, end) =>
      found.push([start, end]),
    );
    expect(found).toEqual([[7, 7 + escaped.length]]);
  });

  it('builds an empty matcher', () => {
    const found: number[] = [];
    createMatcher([]).scan('anything', 0, 8, (id) => found.push(id));
    expect(found).toEqual([]);
  });
});
