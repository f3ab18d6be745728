# Session 22: main after the revert of the spare spans (db9158f: the bare-quote changes only) on the three mini
# archives and SQuAD, against the session's start (019b1fa), whose figures are those of the "start" arm of
# run_confirm_s22.sh and the "bare_base" arm of run_bare_s22.sh (9dcad21 differs from 019b1fa by a rule file).
# Tree: /tmp/s22/final (db9158f), a git worktree.
O=$PWD/bench/out/s22
source bench/results/session_runs.sh
mini_news /tmp/s22/final mini22 dev-train final
mini_news /tmp/s22/final mini21 dev-tune final
mini_news /tmp/s22/final mini21t test final
echo "== squad final $(date -u +%T)"
(cd /tmp/s22/final && $PY -m bench.eval_squad --reader learned --data "$S/dev-v1.1-a.json.gz" \
  --out "$O/squad_final.json" 2>/dev/null | tail -1 > "$O/squad_final.summary.json")
echo "== done $(date -u +%T)"
