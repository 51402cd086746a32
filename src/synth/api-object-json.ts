import { ApiObject, App, Lazy } from 'cdk8s';

/**
 * `o.toJson()`, the same value in the same key order, in one pass over the object's props.
 *
 * cdk8s's `ApiObject.toJson()` resolves the props value by value (for each one it walks from
 * the object up to its App for the resolvers, builds a context object and the value's key path
 * as a new array, and asks each of the App's three resolvers), then walks the result again to
 * drop empty values and sort the keys, then deep-clones it to apply the object's JSON patches
 * (none, here). That was about a third of a tenant bundle's CPU time, and most of what the
 * garbage collector had to do while building one. This does the same resolution (the App's
 * built-in resolvers, in their order: `Lazy`, a value's own `resolve()`, number-or-string
 * unions) and the same sanitizing in one walk, and hands the result to the generated class's
 * own `manifest()`, which is what its `toJson()` does with `super.toJson()`.
 *
 * It takes that path only where it is the same computation, and otherwise calls `o.toJson()`:
 * an `ApiObject`, or a direct subclass of it with its own static `manifest` and `toJson` (what
 * `cdk8s import` generates: `{ ...GVK, ...toJson_<Kind>Props(super.toJson()) }`); no JSON
 * patches; the App's resolvers the built-in three. Keys are always sorted, cdk8s's default:
 * its `CDK8S_DISABLE_SORT` switch is not honoured (dist/'s YAML emitter orders keys itself,
 * so it never changed a byte of dist/). `props` and `patches` are private to cdk8s: when a release renames them this
 * falls back rather than guess, and test/synth/api-object-json.test.ts compares the two for
 * every object of every synthesized environment, so an upgrade that changes what `toJson()`
 * computes fails there.
 */
export function apiObjectJson(o: ApiObject): unknown {
  const inner = o as unknown as { readonly props?: unknown; readonly patches?: unknown };
  const C = o.constructor as { manifest?: (props: unknown) => unknown; prototype: object };
  const generated =
    Object.getPrototypeOf(C) === ApiObject &&
    Object.hasOwn(C, 'manifest') &&
    Object.hasOwn(C.prototype, 'toJson');
  if (
    (C !== ApiObject && !generated) ||
    !isPlainObject(inner.props) ||
    !Array.isArray(inner.patches) ||
    inner.patches.length > 0 ||
    App.of(o).resolvers.length !== BUILT_IN_RESOLVERS
  ) {
    return o.toJson();
  }
  let base: Record<string, unknown>;
  try {
    // Metadata through its own toJson (small; its private fields are not this module's to read).
    const json = sanitized({ ...inner.props, metadata: o.metadata.toJson() }, false) as Record<
      string,
      unknown
    >;
    base = {};
    for (const k of ['apiVersion', 'kind', 'metadata', ...Object.keys(json)]) {
      if (k in json) base[k] = json[k];
    }
  } catch (e) {
    // cdk8s's own wording, so an error reads the same on either path.
    throw new Error(
      `Failed serializing construct at path '${o.node.path}' with name '${o.name}': ${String(e)}`,
    );
  }
  return generated ? C.manifest!(base) : base;
}

/** `new App().resolvers`: Lazy, implicit tokens, number-or-string unions (cdk8s app.js). */
const BUILT_IN_RESOLVERS = new App().resolvers.length;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && v.constructor === Object;
}

/**
 * cdk8s's `resolve` with the built-in resolvers, then its `sanitizeValue` with sorted keys:
 * null and undefined dropped, and with `filterEmpty` (as for metadata) empty arrays and
 * objects too.
 */
function sanitized(v: unknown, filterEmpty: boolean): unknown {
  if (v == null) return undefined;
  if (typeof v !== 'object') return v;
  if (v instanceof Lazy) return sanitized(v.produce(), filterEmpty);
  const token = v as { resolve?: unknown; value?: unknown };
  if (typeof token.resolve === 'function') {
    return sanitized((token.resolve as () => unknown).call(v), filterEmpty);
  }
  if (Array.isArray(v)) {
    if (filterEmpty && v.length === 0) return undefined;
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = sanitized(v[i], filterEmpty);
    return out;
  }
  if (v.constructor !== Object) {
    // A union class (IntOrString, Quantity): cdk8s replaces it with `{ value }`.
    const t = typeof token.value;
    if (t === 'number' || t === 'string') return sanitized({ value: token.value }, filterEmpty);
    throw new Error(`can't render non-simple object of type '${v.constructor.name}'`);
  }
  const out: Record<string, unknown> = {};
  let empty = true;
  for (const k of Object.keys(v).sort()) {
    const value = sanitized((v as Record<string, unknown>)[k], filterEmpty);
    if (value != null) {
      out[k] = value;
      empty = false;
    }
  }
  return filterEmpty && empty ? undefined : out;
}
