#!/usr/bin/env bash
# Session 19: span edges after amendment 2 (main at /tmp/s19edge) on news dev-tune against the rule's bar
# (bench/results/span_edges_rule_s19.txt), then, only if it holds, the news test half once. Nothing else running.
set -u
O=$PWD/bench/out/s19
. bench/results/session_runs.sh
news /tmp/s19edge dev-tune edges3
$PY - "$O" <<'PY' || { echo "== bar not met: no test run"; exit 1; }
import json, sys
base = json.load(open("bench/out/s18/news_dev-tune_date.json"))
new = json.load(open(f"{sys.argv[1]}/news_dev-tune_edges3.json"))
b, n = base["sweep"]["0.25"], new["sweep"]["0.25"]
ok = all(n[k] >= b[k] - 0.5 for k in ("top1", "top5")) and all(new[k] >= base[k] - 0.5 for k in ("top1", "top5"))
ok = ok and abs(n["abstained_on_others"] - b["abstained_on_others"]) <= 1.5
print("bar", "met" if ok else "NOT met", b, n)
sys.exit(0 if ok else 1)
PY
news /tmp/s19edge test edges3
echo "== done $(date -u +%T)"
