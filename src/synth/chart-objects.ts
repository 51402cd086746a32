import { ApiObject, App, Chart } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { apiObjectJson } from './api-object-json';
import { isManifest, type Manifest } from './manifest';

/**
 * Builds one chart in an App of its own and returns its objects. A bundle per App keeps
 * synthesis linear in the number of tenants: cdk8s validates App-wide on every chart, so one
 * App holding every tenant is quadratic (DESIGN.md, "Facts that save a day").
 *
 * The objects are those `chart.toJson()` returns, in its order, each serialized as cdk8s's
 * `ApiObject.toJson()` does (tokens, unions, key order; `apiObjectJson` says how), without the App-wide preparation
 * `toJson` does first: turning construct dependencies into chart and object dependencies and
 * ordering the objects by them (a dependency graph of every construct, with a cycle check per
 * edge): ~6% of a tenant bundle's CPU time at 1,000 tenants, profiled on a quiet machine; the
 * objects' own serialization is about half of it. With no dependency declared its
 * order is the construct tree's, depth first, so this takes the tree's order and refuses a
 * declared dependency (it would reorder objects) instead of ignoring it. Every construct's
 * validations run, as in `toJson`.
 */
export function synthChart(build: (app: App) => Chart): Manifest[] {
  const app = new App();
  const chart = build(app);
  const constructs = app.node.findAll();
  const errors: string[] = [];
  for (const c of constructs) {
    refuseDependencies(c);
    for (const error of c.node.validate()) errors.push(`[${c.node.path}] ${error}`);
  }
  if (errors.length > 0) {
    throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
  }
  const objects: Manifest[] = [];
  for (const c of constructs) {
    if (!(c instanceof ApiObject) || Chart.of(c) !== chart) continue;
    const o = apiObjectJson(c);
    if (!isManifest(o)) {
      throw new Error(
        `${chart.node.path}: object ${objects.length} has no apiVersion, kind or metadata.name; every object needs an explicit name`,
      );
    }
    objects.push(o);
  }
  return objects;
}

function refuseDependencies(c: IConstruct): void {
  const [dep] = c.node.dependencies;
  if (dep === undefined) return;
  throw new Error(
    `${c.node.path}: depends on ${dep.node.path}; synthChart orders objects as the construct tree does and does not apply dependencies. Order the objects by where they are added to the tree instead of with addDependency.`,
  );
}
