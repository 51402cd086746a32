#!/usr/bin/env bash
# checkov over every environment of dist/: --framework kubernetes on the manifests and
# --framework terraform_json on terraform/cdk.tf.json (plain `terraform` finds no resources in
# cdktf output). Every failed check must be listed in .ci/checkov-baseline.txt with a reason;
# an unlisted failure fails, and so does a listed one that no longer fails (a stale line).
set -euo pipefail
cd "$(dirname "$0")/.."
CHECKOV="${XDG_CACHE_HOME:-$HOME/.cache}/agentic-platform/checkov-3.3.30/bin/checkov"
BASELINE=.ci/checkov-baseline.txt
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# Two runs for all environments (checkov's start-up dominates); --skip-download: no network.
# checkov exits 1 when a check fails; the baseline comparison below decides.
"$CHECKOV" -d dist --framework kubernetes --skip-download --quiet --compact -o json \
  >"$out/kubernetes.json" 2>"$out/kubernetes.log" || [ $? -eq 1 ] || { cat "$out/kubernetes.log"; exit 2; }
tf_files=()
for f in dist/*/terraform/cdk.tf.json; do tf_files+=(-f "$f"); done
"$CHECKOV" "${tf_files[@]}" --framework terraform_json --skip-download --quiet --compact -o json \
  >"$out/terraform_json.json" 2>"$out/terraform_json.log" || [ $? -eq 1 ] || { cat "$out/terraform_json.log"; exit 2; }
python3 - "$out" "$BASELINE" <<'PY'
import json, pathlib, sys

out, baseline_file = pathlib.Path(sys.argv[1]), sys.argv[2]
failed = set()
for report in sorted(out.glob('*.json')):
    framework = report.stem
    data = json.loads(report.read_text() or '{}')
    for part in data if isinstance(data, list) else [data]:
        for f in part.get('results', {}).get('failed_checks', []):
            # file_path is /<env>/... below the scanned dir (kubernetes) or /dist/<env>/...
            parts = [p for p in f['file_path'].split('/') if p and p != 'dist']
            failed.add((parts[0], framework, f['check_id'], f['resource']))

accepted, problems = {}, []
for n, line in enumerate(open(baseline_file), 1):
    if not line.strip() or line.startswith('#'):
        continue
    entry, _, reason = line.partition('#')
    key = tuple(entry.split())
    if len(key) != 4 or not reason.strip():
        problems.append(f'{baseline_file}:{n}: expected "<env> <framework> <check> <resource>  # reason"')
    elif key[2] == 'CKV_AWS_341':
        problems.append(f'{baseline_file}:{n}: CKV_AWS_341 (IMDS hop limit) may never be accepted')
    else:
        accepted[key] = reason.strip()

# A resource ending in "*" accepts every resource with that prefix: one line for what a
# construct emits once per tenant, so the baseline does not grow with the tenant count.
def accepting(failure):
    for key in accepted:
        if key[:3] == failure[:3] and (
            key[3] == failure[3] or (key[3].endswith('*') and failure[3].startswith(key[3][:-1]))
        ):
            return key
    return None

matched = {f: accepting(f) for f in failed}
for key in sorted(f for f, k in matched.items() if k is None):
    problems.append('new checkov failure: ' + ' '.join(key) + f' (fix it, or add it to {baseline_file} with a reason)')
for key in sorted(accepted.keys() - set(matched.values())):
    problems.append('stale baseline line: ' + ' '.join(key) + ' no longer fails; remove it')
print(f'checkov: {len(failed)} failed checks, {sum(1 for k in matched.values() if k)} accepted in {baseline_file}')
for p in problems:
    print('  ' + p)
sys.exit(1 if problems else 0)
PY
