#!/usr/bin/env bash
# Re-pins fixtures/digests/NAME.sha256 for every scenario in Scenarios/ that `swift test` runs.
# Run it only when a change to the event log is intended, and say why in the commit message.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product opsim >/dev/null
for file in Scenarios/*.json; do
    name=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(d['name'] if 'nightly' not in d.get('tags', []) else '')" "$file")
    [ -n "$name" ] || continue
    .build/release/opsim run "$file" --quiet > "fixtures/digests/$name.sha256"
    echo "$name $(cat "fixtures/digests/$name.sha256")"
done
