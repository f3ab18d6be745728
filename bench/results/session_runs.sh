# Shared by the session drivers (run_s13.sh, run_s14.sh): sourced after they set O, the folder
# the runs write to; run from the repository root. news TREE SPLIT TAG runs bench.eval_news on the
# full archive from the code in TREE (main, or a git worktree holding a change under test);
# squad TREE DATA TAG runs bench.eval_squad on SQuAD DATA's dev half A; mini_news TREE ARCHIVE SPLIT TAG
# runs bench.eval_news on the first 300 SPLIT questions over a mini archive (bench.mini_archive) in
# bench/out/ARCHIVE; heldout TREE TAG runs it on test questions 300-899 over bench/out/mini25t (session 25's
# held-out archive, its own questions file); arm_runs TREE TAG runs one arm's standard set: the three mini
# archives' 300 questions, those 600 held-out ones and SQuAD v1.1, in that order. SQuAD's paragraph-ranks index (bench.eval_squad --ranks index)
# is kept in bench/out/squad-ranks, shared by every tree. Drivers before session 27 ran SQuAD with what is now
# --ranks none (the paragraph carried no retrieval ranks); rerun under today's default, their SQuAD figures differ.
export HF_HUB_OFFLINE=1
READER=${READER:-learned}  # the span picker every run uses (bench.eval_* --reader): learned, or rules
PY=${PY:-$PWD/.venv/bin/python}
Q=$PWD/../shared/data/realtimeqa/questions-2022-2024.jsonl
A=$PWD/../shared/data/realtimeqa/articles-2022-2024.jsonl.gz
I=$PWD/bench/out/rtqa-index
S=$PWD/../shared/data/squad
MINI=$PWD/bench/out
mkdir -p "$O"
news() {  # tree split tag
  echo "== news $2 $3 $(date -u +%T)"
  (cd "$1" && $PY -m bench.eval_news --articles "$A" --questions "$Q" --index "$I" --reader "$READER" --question-date \
    --min-score 0 --sweep --split "$2" --out "$O/news_$2_$3.jsonl" --evidence "$O/evidence_$2_$3.jsonl" \
    2>/dev/null | tail -1 > "$O/news_$2_$3.json")
}
squad() {  # tree data tag
  echo "== squad $2 $3 $(date -u +%T)"
  (cd "$1" && $PY -m bench.eval_squad --reader "$READER" --data "$S/dev-$2-a.json.gz" --out "$O/squad_$2_$3.json" \
    --ranks-index "$MINI/squad-ranks/dev-$2-a" 2>/dev/null | tail -1 > "$O/squad_$2_$3.summary.json")
}
mini_news() {  # tree archive split tag
  echo "== news $3 $4 $(date -u +%T)"
  (cd "$1" && $PY -m bench.eval_news --articles "$MINI/$2/articles.jsonl" --questions "$Q" \
    --index "$MINI/$2/index" --reader "$READER" --question-date --split "$3" --limit 300 \
    --out "$O/news_$3_$4.jsonl" 2>/dev/null | tail -1 > "$O/news_$3_$4.json")
}
heldout() {  # tree tag: test questions 300-899 over mini25t
  echo "== news heldout $2 $(date -u +%T)"
  (cd "$1" && $PY -m bench.eval_news --articles "$MINI/mini25t/articles.jsonl" \
    --questions "$MINI/mini25t/questions.jsonl" --index "$MINI/mini25t/index" --reader "$READER" --question-date \
    --split test --limit 600 --out "$O/news_heldout_$2.jsonl" 2>/dev/null | tail -1 > "$O/news_heldout_$2.json")
}
arm_runs() {  # tree tag
  mini_news "$1" mini21 dev-tune "$2"
  mini_news "$1" mini22 dev-train "$2"
  mini_news "$1" mini21t test "$2"
  heldout "$1" "$2"
  squad "$1" v1.1 "$2"
}
