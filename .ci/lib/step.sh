# Sourced by .ci/run and its lanes: `step NAME` prints the step's start in seconds since the run
# began (CI_STARTED, set once by .ci/run), so a slow step shows in the log.
CI_STARTED="${CI_STARTED:-$(date +%s)}"
step() { printf '\n==> [%ss] %s\n' "$(( $(date +%s) - CI_STARTED ))" "$*"; }
