import { describe, expect, it } from 'vitest';
import { fieldChanges, parentPath, valueAt } from '../../src/diff/field-changes';

describe('fieldChanges', () => {
  it('matches list items by name, so a reorder is a move and a change is one field', () => {
    const before = {
      spec: {
        containers: [
          { name: 'app', image: 'a:1' },
          { name: 'side', image: 'b:1' },
        ],
      },
    };
    const after = {
      spec: {
        containers: [
          { name: 'side', image: 'b:1' },
          { name: 'app', image: 'a:2' },
        ],
      },
    };
    const changes = fieldChanges(before, after);
    expect(changes).toContainEqual({
      path: 'spec.containers[name=app].image',
      op: 'changed',
      before: 'a:1',
      after: 'a:2',
    });
    expect(changes.filter((c) => c.op !== 'moved')).toHaveLength(1);
  });

  it('pairs a replaced item without identity with its replacement and reports the inner field', () => {
    const before = { egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] };
    const after = { egress: [{ to: [{ ipBlock: { cidr: '192.0.2.0/24' } }] }] };
    expect(fieldChanges(before, after)).toEqual([
      {
        path: 'egress[0].to[0].ipBlock.cidr',
        op: 'changed',
        before: '10.0.0.0/8',
        after: '192.0.2.0/24',
      },
    ]);
  });

  it('reports an added rule as one added item', () => {
    const rule = { ports: [{ port: 443 }] };
    expect(fieldChanges({ egress: [rule] }, { egress: [rule, { ports: [{ port: 80 }] }] })).toEqual(
      [{ path: 'egress[1]', op: 'added', after: { ports: [{ port: 80 }] } }],
    );
  });

  it('reports a scalar replaced at the same index as changed', () => {
    expect(fieldChanges({ a: ['Audit'] }, { a: ['Deny'] })).toEqual([
      { path: 'a[0]', op: 'changed', before: 'Audit', after: 'Deny' },
    ]);
  });

  it('quotes keys that are not identifiers', () => {
    expect(
      fieldChanges(
        { l: { 'app.kubernetes.io/name': 'x' } },
        { l: { 'app.kubernetes.io/name': 'y' } },
      ),
    ).toEqual([{ path: 'l["app.kubernetes.io/name"]', op: 'changed', before: 'x', after: 'y' }]);
  });

  it('compares a JSON document held in a string as data', () => {
    const doc = (v: number) => JSON.stringify({ agents: [{ name: 'triage', version: v }] });
    expect(fieldChanges({ data: { 'c.json': doc(1) } }, { data: { 'c.json': doc(2) } })).toEqual([
      {
        path: 'data["c.json"](json).agents[name=triage].version',
        op: 'changed',
        before: 1,
        after: 2,
      },
    ]);
  });

  it('reports the lines a multi-line string gains or loses', () => {
    const before = 'g, admin, role:admin\np, role:a, apps, get, a/*, allow\n';
    const after =
      'g, admin, role:admin\np, role:a, apps, get, a/*, allow\np, role:b, apps, get, b/*, allow\n';
    expect(fieldChanges({ csv: before }, { csv: after })).toEqual([
      { path: 'csv(lines)', op: 'added', after: 'p, role:b, apps, get, b/*, allow' },
    ]);
  });

  it('finds nothing in equal values', () => {
    expect(
      fieldChanges({ a: [{ name: 'x', b: [1, 2] }] }, { a: [{ name: 'x', b: [1, 2] }] }),
    ).toEqual([]);
  });
});

describe('valueAt and parentPath', () => {
  const body = {
    spec: { sources: [{ chart: 'kyverno', targetRevision: '3.5.0' }], hard: { 'limits.cpu': '2' } },
    items: [{ name: 'a', v: 1 }],
  };

  it.each([
    ['spec.sources[0].targetRevision', '3.5.0'],
    ['spec.hard["limits.cpu"]', '2'],
    ['items[name=a].v', 1],
    ['spec.missing', undefined],
  ])('reads %s', (path, value) => {
    expect(valueAt(body, path)).toEqual(value);
  });

  it('reads inside embedded JSON', () => {
    expect(valueAt({ d: { 'x.json': '{"a":{"b":3}}' } }, 'd["x.json"](json).a.b')).toBe(3);
  });

  it.each([
    ['spec.sources[0].targetRevision', 'spec.sources[0]'],
    ['spec.hard["limits.cpu"]', 'spec.hard'],
    ['items[name=a]', 'items'],
  ])('takes the parent of %s', (path, parent) => {
    expect(parentPath(path)).toBe(parent);
  });
});
