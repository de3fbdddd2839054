"""Turns compare.sh's summary.txt into a markdown table: median req/s per server and the ratio.

    python3 Scripts/http-bench/summarize.py /tmp/http-compare-*/summary.txt
"""
import re
import statistics
import sys
from collections import defaultdict

runs = defaultdict(list)
for line in open(sys.argv[1]):
    m = re.match(r"(\w+) (\S+) c=(\d+) round=\d+ (\w+) rps=([\d.]+) p50=(\S+) p99=(\S+)(?: cpu_us_per_req=([\d.]+))?", line)
    if m:
        layout, path, conns, name, rps, p50, p99, cpu = m.groups()
        runs[(layout, path, int(conns), name)].append((float(rps), p50, p99, float(cpu) if cpu else None))

print("| layout | endpoint | conns | FastAPI req/s (runs) | opsim req/s (runs) | opsim/FastAPI | opsim p50 | opsim p99 "
      "| server CPU µs/request FastAPI | opsim | CPU ratio |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for layout, path, conns in sorted({k[:3] for k in runs}, key=lambda k: (k[0] != "pinned", k[1], k[2])):
    fast = runs.get((layout, path, conns, "fastapi"), [])
    ours = runs.get((layout, path, conns, "opsim"), [])
    if not fast or not ours:
        continue
    f = statistics.median(r[0] for r in fast)
    o = statistics.median(r[0] for r in ours)
    fmt = lambda rs: ", ".join(f"{r[0]:,.0f}" for r in rs)
    fc = [r[3] for r in fast if r[3]]
    oc = [r[3] for r in ours if r[3]]
    cpu = (f"{statistics.median(fc):.1f} | {statistics.median(oc):.1f} | {statistics.median(fc) / statistics.median(oc):.1f}x"
           if fc and oc else "- | - | -")
    print(f"| {layout} | {path} | {conns} | {f:,.0f} ({fmt(fast)}) | {o:,.0f} ({fmt(ours)}) | {o / f:.1f}x | "
          f"{ours[0][1]}, {ours[-1][1]} | {ours[0][2]}, {ours[-1][2]} | {cpu} |")
