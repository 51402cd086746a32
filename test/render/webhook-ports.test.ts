import { beforeAll, describe, expect, it } from 'vitest';
import { syncUnits, type SyncUnit } from '../../src/render/bring-up-order';
import type { RenderedObject } from '../../src/render/helm';
import { checkWebhookPorts, resolveCalls } from '../../src/render/webhook-ports';
import { API_SERVER_PORTS } from '../../src/platform/platform-namespaces';
import { ROOT } from '../platform/synth-fixture';
import { renderSome } from './helpers';

/** The add-ons whose charts register webhooks the API server calls. */
const WEBHOOK_ADDONS = [
  'cert-manager',
  'cloudnative-pg',
  'external-secrets',
  'istiod',
  'kyverno',
  'clickhouse-operator',
  'kube-prometheus-stack',
];
const ISOLATION = 'platform-network-isolation';

/** The units with the matching objects of one unit edited (or dropped when `edit` returns undefined). */
function planted(
  units: readonly SyncUnit[],
  unit: string,
  match: (o: RenderedObject) => boolean,
  edit: (o: any) => RenderedObject | undefined,
): SyncUnit[] {
  let hits = 0;
  const out = units.map((u) =>
    u.name !== unit
      ? u
      : {
          ...u,
          objects: u.objects.flatMap((o) => {
            if (!match(o)) return [o];
            hits++;
            const e = edit(structuredClone(o));
            return e ? [e] : [];
          }),
        },
  );
  if (hits === 0) throw new Error(`planted: nothing in ${unit} matched`);
  return out;
}
const named = (kind: string, name: string, namespace?: string) => (o: RenderedObject) =>
  o.kind === kind &&
  o.metadata.name === name &&
  (namespace === undefined || o.metadata.namespace === namespace);

describe('webhook ports: the API server reaches every rendered webhook through allow-api-server', () => {
  let units: SyncUnit[];
  beforeAll(async () => {
    units = syncUnits(ROOT, await renderSome('dev', WEBHOOK_ADDONS));
  }, 120_000);

  it('resolves every webhook Service to the pod ports the hand-written table lists', () => {
    const byNs = new Map<string, Set<number>>();
    for (const c of resolveCalls(units)) {
      expect(c.unresolved, `${c.resource} → ${c.namespace}/${c.service}`).toBeUndefined();
      byNs.set(c.namespace, (byNs.get(c.namespace) ?? new Set()).add(c.podPort!));
    }
    expect(
      Object.fromEntries([...byNs].map(([ns, ports]) => [ns, [...ports].sort((a, b) => a - b)])),
    ).toEqual(API_SERVER_PORTS);
    // Kyverno's are found from its controllers' arguments: it registers them at run time.
    expect(
      resolveCalls(units)
        .filter((c) => c.namespace === 'kyverno')
        .map((c) => [c.resource, c.service, c.port, c.podPort]),
    ).toEqual([
      ['Deployment/kyverno-admission-controller', 'kyverno-svc', 443, 9443],
      ['Deployment/kyverno-cleanup-controller', 'kyverno-cleanup-controller', 443, 9443],
    ]);
    expect(checkWebhookPorts('dev', units)).toEqual([]);
  });

  it('fails on a webhook pod port moved away from the admitted one, naming both ends', () => {
    const moved = planted(
      units,
      'cert-manager',
      named('Deployment', 'cert-manager-webhook'),
      (d) => {
        d.spec.template.spec.containers[0].ports.find(
          (p: any) => p.name === 'https',
        ).containerPort = 10260;
        return d;
      },
    );
    const found = checkWebhookPorts('dev', moved);
    expect(found.map((f) => `${f.application} ${f.resource}: ${f.message}`)).toEqual([
      expect.stringMatching(
        /^cert-manager MutatingWebhookConfiguration\/cert-manager-webhook: makes the API server call Service cert-manager\/cert-manager-webhook port 443 \(pod port 10260\), but NetworkPolicy cert-manager\/allow-api-server admits only 10250/,
      ),
      expect.stringMatching(
        /^cert-manager ValidatingWebhookConfiguration\/cert-manager-webhook: .*pod port 10260/,
      ),
      expect.stringMatching(
        new RegExp(
          `^${ISOLATION} NetworkPolicy/cert-manager/allow-api-server: admits the API server on 10250, which no rendered webhook of namespace cert-manager resolves to \\(they resolve to 10260\\)`,
        ),
      ),
    ]);
  });

  it('fails on a namespace whose allow-api-server is missing', () => {
    const missing = planted(
      units,
      ISOLATION,
      named('NetworkPolicy', 'allow-api-server', 'cnpg-system'),
      () => undefined,
    );
    const found = checkWebhookPorts('dev', missing);
    expect(found.length).toBeGreaterThan(0);
    for (const f of found) {
      expect(f.application).toBe('cloudnative-pg');
      expect(f.message).toMatch(
        /call Service cnpg-system\/cnpg-webhook-service port 443 \(pod port 9443\), but namespace cnpg-system denies ingress by default and has no allow-api-server NetworkPolicy: add 9443 to API_SERVER_PORTS\['cnpg-system'\]/,
      );
    }
  });

  it('fails on a listed port no webhook uses', () => {
    const extra = planted(
      units,
      ISOLATION,
      named('NetworkPolicy', 'allow-api-server', 'istio-system'),
      (p) => {
        p.spec.ingress[0].ports.push({ port: 15010, protocol: 'TCP' });
        return p;
      },
    );
    expect(checkWebhookPorts('dev', extra)).toEqual([
      expect.objectContaining({
        check: 'webhook',
        resource: 'NetworkPolicy/istio-system/allow-api-server',
        message: expect.stringMatching(
          /admits the API server on 15010, which no rendered webhook of namespace istio-system resolves to \(they resolve to 15017\)/,
        ),
      }),
    ]);
  });

  it('fails on a webhook whose Service port does not exist, naming the Service', () => {
    const moved = planted(
      units,
      'kyverno',
      named('Deployment', 'kyverno-admission-controller'),
      (d) => {
        const c = d.spec.template.spec.containers[0];
        c.args = c.args.map((a: string) =>
          a.startsWith('--servicePort=') ? '--servicePort=8443' : a,
        );
        return d;
      },
    );
    expect(checkWebhookPorts('dev', moved)).toEqual([
      expect.objectContaining({
        application: 'kyverno',
        resource: 'Deployment/kyverno-admission-controller',
        message:
          'makes the API server call kyverno/kyverno-svc:8443, but Service kyverno/kyverno-svc has no port 8443 (it has 443)',
      }),
    ]);
  });

  it('fails on a named target port no selected pod declares', () => {
    const renamed = planted(
      units,
      'cert-manager',
      named('Service', 'cert-manager-webhook'),
      (s) => {
        s.spec.ports[0].targetPort = 'webhook';
        return s;
      },
    );
    const found = checkWebhookPorts('dev', renamed);
    expect(found.filter((f) => /targets "webhook"/.test(f.message)).length).toBe(2);
  });
});
