import { App, Chart } from 'cdk8s';
import { isManifest, type Manifest } from './manifest';

/**
 * Builds one chart in an App of its own and returns its objects. A bundle per App keeps
 * synthesis linear in the number of tenants: cdk8s validates App-wide on every chart, so one
 * App holding every tenant is quadratic (DESIGN.md, "Facts that save a day").
 */
export function synthChart(build: (app: App) => Chart): Manifest[] {
  const app = new App();
  const chart = build(app);
  const objects = chart.toJson();
  return objects.map((o, i) => {
    if (!isManifest(o)) {
      throw new Error(
        `${chart.node.path}: object ${i} has no apiVersion, kind or metadata.name; every object needs an explicit name`,
      );
    }
    return o;
  });
}
