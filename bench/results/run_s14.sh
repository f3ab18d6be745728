#!/usr/bin/env bash
# Session 14's measurements, in the order they ran (results in bench/results/*_s14.json|txt).
# Rules, each written before its measurement: bench/results/ranker_refit_rule_s14.txt,
# shown_name_rule_s14.txt, echoed_item_rule_s14.txt, listwise_features_rule_s14.txt,
# leading_auxiliary_rule_s14.txt, name_titles_rule_s14.txt, trailing_weekday_rule_s14.txt.
# "name" and "list" ran in git worktrees (branches s14-name, s14-list) while main held the step before.
set -u
O=$PWD/bench/out/s14
source "$(dirname "$0")/session_runs.sh"  # PY, the data paths, news(), squad()
# 1. evidence of the dev-train split (the reader's news-training questions), for --extra rows
news "$PWD" dev-train base
# 2. the ranker refit: R1 (dev-tune alone) and R2 (dev-tune + dev-train as extra rows), out of fold
$PY -m bench.fit_ranker --train bench/out/s13/evidence_dev-tune_shown.jsonl --out "$O/fit_R1.json"
$PY -m bench.fit_ranker --train bench/out/s13/evidence_dev-tune_shown.jsonl \
  --extra "$O/evidence_dev-train_base.jsonl" --out "$O/fit_R2.json" --write-to qa/reader_model  # R2 passed
news "$PWD" dev-tune r2
squad "$PWD" v1.1 r2
squad "$PWD" v2.0 r2
news "$PWD" test r2
# 3. the shown-name rule (worktree NAME at branch s14-name), then the echoed-item rule (LIST at s14-list)
NAME=${NAME:-/tmp/s14name} LIST=${LIST:-/tmp/s14list}
news "$NAME" dev-tune name
squad "$NAME" v1.1 name
news "$LIST" dev-tune list
squad "$LIST" v1.1 list
# 4. listwise ranker features: offline, out of fold (the script is in listwise_features_result_s14.txt)
# 5. the test half once more with everything that shipped so far
news "$PWD" test final
# 6. the leading-auxiliary rule (worktree AUX at branch s14-aux), then the test half with it
AUX=${AUX:-/tmp/s14aux}
news "$AUX" dev-tune aux
squad "$AUX" v1.1 aux
news "$PWD" test final2
# 7. answering with the name behind a title (worktree TITLES; failed, reverted: name_titles_not_adopted_s14.patch),
#    then its weekday half alone (worktree WEEKDAY at branch s14-weekday), then main once more
TITLES=${TITLES:-/tmp/s14titles} WEEKDAY=${WEEKDAY:-/tmp/s14weekday}
news "$TITLES" dev-tune titles
news "$WEEKDAY" dev-tune weekday
squad "$WEEKDAY" v1.1 weekday
news "$PWD" dev-tune final3
news "$PWD" test final3
