import { describe, expect, it } from 'vitest';
import { diffSnapshots, diffSorted, hasChanges } from './diff.js';

describe('diffSnapshots', () => {
  it('lists added, changed and removed keys, sorted', () => {
    const diff = diffSnapshots(
      { B: '1', A: '1', KEEP: 'same', GONE_2: 'x', GONE_1: 'y' },
      { KEEP: 'same', B: '2', A: '2', NEW_B: 'n', NEW_A: 'm' },
    );
    expect(diff).toEqual({
      added: ['NEW_A', 'NEW_B'],
      changed: ['A', 'B'],
      removed: ['GONE_1', 'GONE_2'],
    });
    expect(hasChanges(diff)).toBe(true);
  });

  it('finds nothing between equal snapshots', () => {
    const diff = diffSnapshots({ A: '1', B: '' }, { B: '', A: '1' });
    expect(diff).toEqual({ added: [], changed: [], removed: [] });
    expect(hasChanges(diff)).toBe(false);
    expect(hasChanges(diffSnapshots({}, {}))).toBe(false);
  });

  it('treats an empty string as a value, not an absence', () => {
    expect(diffSnapshots({ A: '' }, { A: 'x' })).toEqual({
      added: [],
      changed: ['A'],
      removed: [],
    });
    expect(diffSnapshots({}, { A: '' })).toEqual({ added: ['A'], changed: [], removed: [] });
  });

  it('handles keys named like Object.prototype members', () => {
    const next = JSON.parse('{"__proto__":"x","constructor":"y"}') as Record<string, string>;
    expect(diffSnapshots({}, next)).toEqual({
      added: ['__proto__', 'constructor'],
      changed: [],
      removed: [],
    });
    expect(diffSnapshots(next, {})).toEqual({
      added: [],
      changed: [],
      removed: ['__proto__', 'constructor'],
    });
  });

  it('returns keys only, never values', () => {
    const diff = diffSnapshots({ DB_PASSWORD: 'old-secret' }, { DB_PASSWORD: 'new-secret' });
    expect(JSON.stringify(diff)).not.toContain('secret"');
    expect(JSON.stringify(diff)).not.toContain('old-secret');
    expect(JSON.stringify(diff)).not.toContain('new-secret');
  });

  it('reports each kind of change on its own', () => {
    expect(hasChanges({ added: ['A'], changed: [], removed: [] })).toBe(true);
    expect(hasChanges({ added: [], changed: ['A'], removed: [] })).toBe(true);
    expect(hasChanges({ added: [], changed: [], removed: ['A'] })).toBe(true);
  });
});

describe('diffSorted', () => {
  const sorted = (values: Record<string, string>) =>
    Object.entries(values)
      .map(([key, value]) => ({ key, value }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  it('gives what diffSnapshots gives, in one walk over two key-sorted lists', () => {
    for (let round = 0; round < 200; round++) {
      const previous: Record<string, string> = {};
      const next: Record<string, string> = {};
      for (let i = 0; i < 30; i++) {
        const key = `K${Math.floor(Math.random() * 40)}`;
        if (Math.random() < 0.7) previous[key] = String(Math.floor(Math.random() * 3));
        if (Math.random() < 0.7) next[key] = String(Math.floor(Math.random() * 3));
      }
      expect(diffSorted(sorted(previous), sorted(next))).toEqual(diffSnapshots(previous, next));
    }
  });
});
