# Session 22: the three answer changes together on a held-out mini archive (rule: bench/results/confirm_rule_s22.txt).
# Trees: /tmp/s22/start (019b1fa, the session's start) and /tmp/s22/now (1952fcb), git worktrees. The archive:
#   python -m bench.mini_archive --split dev-train --first 300 --size 2000 --out bench/out/mini22/articles.jsonl
#   qa index build bench/out/mini22/articles.jsonl --index bench/out/mini22/index
O=$PWD/bench/out/s22
source bench/results/session_runs.sh
for tag in start now; do
  mini_news /tmp/s22/$tag mini22 dev-train "$tag"
done
echo "== done $(date -u +%T)"
