import { describe, expect, it } from 'vitest';
import type { DiffReport } from '../../src/diff/report';
import { exitCodeOf, summarize } from '../../src/diff/report';
import { renderDiffHtml } from '../../src/diff/format-html';
import { renderDiffJson } from '../../src/diff/format-json';
import { renderDiffMarkdown } from '../../src/diff/format-markdown';
import { renderDiffText } from '../../src/diff/format-text';

const report: DiffReport = {
  mode: 'base',
  title: 'main → working tree',
  comparisons: [
    {
      left: 'dev@main',
      right: 'dev (working tree)',
      unchanged: 5,
      identityOnly: 0,
      changes: [
        {
          status: 'added',
          key: 'gateway.networking.k8s.io/HTTPRoute newco/a2a-x',
          layer: 'tenants',
          kind: 'HTTPRoute',
          group: 'gateway.networking.k8s.io',
          namespace: 'newco',
          name: 'a2a-x',
          tenant: 'newco',
          file: 'tenants/newco/httproute-a2a-x.yaml',
          fields: [],
          risks: [{ kind: 'route-exposed', detail: 'public route * /a2a/newco/x <script>' }],
        },
        {
          status: 'changed',
          key: '/ConfigMap a/b',
          layer: 'add-ons',
          kind: 'ConfigMap',
          group: '',
          namespace: 'a',
          name: 'b',
          file: 'platform/a/configmap-b.yaml',
          fields: [{ path: 'data.k', op: 'changed', before: 'x|y', after: 'z' }],
          risks: [],
        },
      ],
    },
  ],
};

describe('report formats', () => {
  it('computes one summary every format shows', () => {
    expect(summarize(report)).toMatchObject({
      added: 1,
      changed: 1,
      removed: 0,
      unchanged: 5,
      flagged: 1,
    });
    expect(summarize(report).risks['route-exposed']).toBe(1);
    expect(summarize(report).layers).toEqual({
      'add-ons': { added: 0, removed: 0, changed: 1 },
      tenants: { added: 1, removed: 0, changed: 0 },
    });
  });

  it('exits 3 on a flagged change, 1 on unflagged differences, 0 on none', () => {
    expect(exitCodeOf(report)).toBe(3);
    const unflagged = {
      ...report,
      comparisons: [{ ...report.comparisons[0]!, changes: [report.comparisons[0]!.changes[1]!] }],
    };
    expect(exitCodeOf(unflagged)).toBe(1);
    expect(
      exitCodeOf({ ...report, comparisons: [{ ...report.comparisons[0]!, changes: [] }] }),
    ).toBe(0);
  });

  it('prints text by layer in order, with flags, coloured only when asked', () => {
    const text = renderDiffText(report);
    expect(text).not.toContain('\u001b[');
    expect(text.indexOf('add-ons')).toBeLessThan(text.indexOf('tenants'));
    expect(text).toContain('+ HTTPRoute newco/a2a-x');
    expect(text).toContain('⚑ route exposed: public route');
    expect(text).toContain('data.k: "x|y" → z');
    expect(renderDiffText(report, { color: true })).toContain('\u001b[32m    + HTTPRoute');
  });

  it('writes Markdown whose table cells survive pipes and HTML', () => {
    const md = renderDiffMarkdown(report);
    expect(md).toContain(
      '| **route exposed** | dev (working tree) | + <code>HTTPRoute newco/a2a-x</code> | public route * /a2a/newco/x &lt;script&gt; |',
    );
    expect(md).toContain(
      '<code>data.k: &quot;x&#124;y&quot; → z</code>'.replace('&quot;', '"').replace('&quot;', '"'),
    );
  });

  it('writes JSON with the summary and the changes', () => {
    const json = JSON.parse(renderDiffJson(report));
    expect(json.version).toBe(1);
    expect(json.summary).toEqual(summarize(report));
    expect(json.comparisons[0].changes).toHaveLength(2);
  });

  it('writes a self-contained HTML page with the counts and escaped content', () => {
    const html = renderDiffHtml(report);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<link|src=|href="http/);
    expect(html).toContain('<dd data-summary="added">1</dd>');
    expect(html).toContain('<dd data-summary="flagged">1</dd>');
    expect(html).toContain('&lt;script&gt;');
  });
});
