#!/usr/bin/env bash
# Optional checkers: each runs when its tool can be installed, and is skipped with the
# reason otherwise. A tool that is missing never fails the build; a tool that runs and
# finds a bug does.
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
for check in fuzz miri tsan mutants; do
    printf '\n--> optional: %s\n' "$check"
    args=()
    # Mutation testing of the whole core takes about an hour: CI mutates only the core
    # lines changed since origin/main, for at most 15 minutes.
    if [ "$check" = mutants ]; then args=(--changed); export MUTANTS_MINUTES=15; fi
    if bash "ci/$check.sh" "${args[@]}"; then
        echo "optional $check: done"
    else
        echo "optional $check: FAILED"
        status=1
    fi
done
exit $status
