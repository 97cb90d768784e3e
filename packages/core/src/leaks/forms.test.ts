import { describe, expect, it } from 'vitest';
import { decodeEscapes } from './decode.js';
import { MAX_FULLY_ENCODED_LENGTH, valueForms } from './forms.js';

const base64 = (text: string): string =>
  btoa(String.fromCharCode(...new TextEncoder().encode(text)));

describe('valueForms', () => {
  it('gives a plain value its raw form and the base64 forms of its three alignments', () => {
    const forms = valueForms('fake-api-token-1234', 6);
    expect(forms[0]).toEqual({ form: 'raw', text: 'fake-api-token-1234' });
    expect(forms.filter((f) => f.form === 'base64')).toHaveLength(3);
    expect(forms.map((f) => f.form)).not.toContain('json-escaped');
  });

  it('finds the value inside any longer base64 text, whatever precedes it', () => {
    const value = 'fake-basic-password-42';
    const cores = valueForms(value, 6)
      .filter((f) => f.form === 'base64')
      .map((f) => f.text);
    for (const prefix of ['', 'u', 'us', 'user:', 'a-longer-user:', 'ab']) {
      for (const suffix of ['', '!', '?!', '#tail']) {
        const encoded = base64(prefix + value + suffix);
        expect(cores.some((core) => encoded.includes(core))).toBe(true);
      }
    }
  });

  it('writes the string forms a serialiser uses, decoded the way the matcher reads', () => {
    const value = 'pa"ss\'w\\rd\nline `${x}` a b';
    const texts = valueForms(value, 6).map((f) => f.text);
    expect(texts).toContain(JSON.stringify(value).slice(1, -1));
    expect(texts).toContain(JSON.stringify(JSON.stringify(value).slice(1, -1)).slice(1, -1));
    expect(texts).toContain('pa"ss\\\'w\\\\rd\\nline `${x}` a b');
    expect(texts).toContain('pa"ss\'w\\\\rd\nline \\`\\${x}\\` a b');
    expect(texts).toContain(decodeEscapes(new URLSearchParams({ v: value }).toString().slice(2)));
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('decodes escapes in the value itself, and drops forms shorter than the minimum', () => {
    expect(valueForms('p%40ss-word', 6)[0]).toEqual({ form: 'raw', text: 'p@ss-word' });
    // Raw, it reads as `ABC`: too short; its URL-encoded and base64 forms are long enough.
    expect(valueForms('%41%42%43', 6).map((f) => f.form)).not.toContain('raw');
    expect(valueForms('%41%42%43', 3)[0]).toEqual({ form: 'raw', text: 'ABC' });
    expect(valueForms('abcde', 6)).toEqual([]);
  });

  it('searches a very long value raw and JSON-escaped only', () => {
    const long = `fake"${'x'.repeat(MAX_FULLY_ENCODED_LENGTH)}`;
    expect(valueForms(long, 6).map((f) => f.form)).toEqual(['raw', 'json-escaped', 'json-escaped']);
  });
});
