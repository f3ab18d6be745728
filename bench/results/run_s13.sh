#!/usr/bin/env bash
# Session 13's measurements, in the order they ran (results in bench/results/*_s13.json).
# Rules: bench/results/equivalent_answers_rule_s13.txt, bench/results/one_answerer_rule_s13.txt.
# "base" is the tree before the grouping change (a git worktree at e1f60ae, whose code is d885722's),
# "idf" a worktree of the same code (at the next commit, a rule file) with LocalHybridIndex.term_idf
#   delegating to the pinned version's, i.e. the answerer the server used to run,
# "grouped" the tree with qa/grouping.py's equivalent answers, "final" main after both changes (30cfe5d).
set -u
export HF_HUB_OFFLINE=1
PY=${PY:-$PWD/.venv/bin/python}
Q=$PWD/../shared/data/realtimeqa/questions-2022-2024.jsonl
A=$PWD/../shared/data/realtimeqa/articles-2022-2024.jsonl.gz
I=$PWD/bench/out/rtqa-index
O=$PWD/bench/out/s13
S=$PWD/../shared/data/squad
mkdir -p "$O"
news() {  # tree split tag
  echo "== news $2 $3 $(date -u +%T)"
  (cd "$1" && $PY -m bench.eval_news --articles "$A" --questions "$Q" --index "$I" --reader learned --question-date \
    --min-score 0 --sweep --split "$2" --out "$O/news_$2_$3.jsonl" --evidence "$O/evidence_$2_$3.jsonl" \
    2>/dev/null | tail -1 > "$O/news_$2_$3.json")
}
squad() {  # tree data tag
  echo "== squad $2 $3 $(date -u +%T)"
  (cd "$1" && $PY -m bench.eval_squad --reader learned --data "$S/dev-$2-a.json.gz" --out "$O/squad_$2_$3.json" \
    2>/dev/null | tail -1 > "$O/squad_$2_$3.summary.json")
}
# 0. the full archive's articles read again: outlets from URL hosts, rewritten without re-embedding
$PY -m qa index add "$A" --index "$I"
BASE=${BASE:-/tmp/base} IDF=${IDF:-/tmp/idf}
news "$BASE" dev-tune base
news "$PWD" dev-tune grouped     # the tree with the grouping change only
squad "$BASE" v1.1 base
squad "$PWD" v1.1 grouped
news "$IDF" dev-tune idf
news "$PWD" test final           # main after both changes
# the window-words rule (bench/results/window_words_rule_s13.txt): WW is a worktree of 0b2a468 with the
# named time's words dropped from qa.answerer's sentence weights
WW=${WW:-/tmp/ww}
news "$PWD" dev-tune final
news "$WW" dev-tune windowwords
# copies kept in bench/results: eval_news_<split>_<tag>_s13.json, squad_v11_<tag>_s13.json
# the titled-names rule (bench/results/titled_names_rule_s13.txt): main with qa.grouping's titled-name merge
news "$PWD" dev-tune titled
squad "$PWD" v1.1 titled
# the shown-member rule (bench/results/shown_member_rule_s13.txt), then the test half once with all of it
news "$PWD" dev-tune shown
squad "$PWD" v1.1 shown
news "$PWD" test shown
