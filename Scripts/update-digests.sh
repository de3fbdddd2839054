#!/usr/bin/env bash
# Re-pins fixtures/digests/NAME.sha256 for every scenario in Scenarios/ (release build).
# `swift test` checks the pins of the scenarios not tagged nightly; the nightly ones (the default,
# a whole session) are checked by `Scripts/update-digests.sh --check`, which changes nothing and
# exits 1 on the first difference.
# Re-pin only when a change to the event log is intended, and say why in the commit message.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-pin}
swift build -c release --product opsim >/dev/null
status=0
for file in Scenarios/*.json; do
    name=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['name'])" "$file")
    digest=$(.build/release/opsim run "$file" --quiet || true)
    if [ "$mode" = "--check" ]; then
        pinned=$(cat "fixtures/digests/$name.sha256" 2>/dev/null || echo none)
        if [ "$digest" = "$pinned" ]; then echo "ok      $name $digest"; else echo "CHANGED $name $digest (pinned $pinned)"; status=1; fi
    else
        echo "$digest" > "fixtures/digests/$name.sha256"
        echo "$name $digest"
    fi
done
exit $status
