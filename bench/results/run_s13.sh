#!/usr/bin/env bash
# Session 13's measurements, in the order they ran (results in bench/results/*_s13.json).
# Rules: bench/results/equivalent_answers_rule_s13.txt, bench/results/one_answerer_rule_s13.txt.
# "base" is the tree before the grouping change (a git worktree at e1f60ae, whose code is d885722's),
# "idf" a worktree of the same code (at the next commit, a rule file) with LocalHybridIndex.term_idf
#   delegating to the pinned version's, i.e. the answerer the server used to run,
# "grouped" the tree with qa/grouping.py's equivalent answers, "final" main after both changes (30cfe5d).
set -u
O=$PWD/bench/out/s13
source "$(dirname "$0")/session_runs.sh"  # PY, the data paths, news(), squad()
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
