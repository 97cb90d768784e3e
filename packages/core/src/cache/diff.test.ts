import { describe, expect, it } from 'vitest';
import { diffSnapshots, hasChanges } from './diff.js';

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
