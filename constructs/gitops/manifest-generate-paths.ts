/**
 * Annotation telling Argo CD which paths of its Git repository an Application's manifests come
 * from. Argo CD caches generated manifests by commit; without it every commit to this
 * repository invalidates every Application's cache. With it (Argo CD >= 2.11, no webhook
 * needed), a commit that touches none of the listed paths keeps the cached manifests.
 *
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/high_availability/#manifest-paths-annotation
 */
export const MANIFEST_GENERATE_PATHS_ANNOTATION = 'argocd.argoproj.io/manifest-generate-paths';

/**
 * `{ 'argocd.argoproj.io/manifest-generate-paths': '/a;/b' }` for the repository folders an
 * Application reads. Absolute ('/'-prefixed: "an absolute path within the Git repository"),
 * because a relative entry is resolved against every source's path of a multi-source
 * Application; entries are separated by ';'.
 */
export function manifestGeneratePaths(paths: readonly string[]): Record<string, string> {
  if (paths.length === 0) {
    throw new Error(
      'manifestGeneratePaths: paths is empty; list the folders the Application reads',
    );
  }
  for (const p of paths) {
    if (p.includes(';') || p.trim() === '' || p.split('/').includes('..')) {
      throw new Error(
        `manifestGeneratePaths: "${p}" is not a repository folder; give a path like dist/dev/bootstrap (no ';', no '..')`,
      );
    }
  }
  const value = [...new Set(paths.map((p) => `/${p.replace(/^\/+|\/+$/g, '')}`))].join(';');
  return { [MANIFEST_GENERATE_PATHS_ANNOTATION]: value };
}
