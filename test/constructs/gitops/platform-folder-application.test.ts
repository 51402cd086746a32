import { App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { PlatformFolderApplication } from '../../../constructs/gitops/platform-folder-application';

function application(namespace: string) {
  const chart = new Chart(new App(), 'test');
  new PlatformFolderApplication(chart, 'App', {
    name: 'platform-keycloak',
    path: 'dist/dev/platform/keycloak',
    repoUrl: 'https://github.com/example-org/agentic-platform.git',
    targetRevision: 'main',
    syncWave: 'platformConfig',
    namespace,
  });
  return chart.toJson()[0] as {
    spec: { destination: { namespace: string }; syncPolicy: { syncOptions: string[] } };
  };
}

describe('PlatformFolderApplication', () => {
  it('creates its destination namespace, which an add-on chart of a later wave may own', () => {
    const app = application('keycloak');
    expect(app.spec.destination.namespace).toBe('keycloak');
    expect(app.spec.syncPolicy.syncOptions).toContain('CreateNamespace=true');
    expect(app.spec.syncPolicy.syncOptions).toContain('ServerSideApply=true');
  });
});
