# Session 23: the distilled 4-layer reader against the shipped one (rule: student_rule_s23.txt).
# Run from the repository root. TAG names the weights: teacher = qa/reader_model, student = an export.
O=$PWD/bench/out/s23
. bench/results/session_runs.sh
squad_formula() {  # tag dir data: SQuAD dev half A, reader only, the plain formula ranker, every threshold
  echo "== squad $3 $1 $(date -u +%T)"
  $PY -m bench.eval_squad --reader learned --reader-dir "$2" --answer-ranker formula --sweep \
    --data "$S/dev-$3-a.json.gz" --out "$O/squad_$3_$1.json" 2>/dev/null > "$O/squad_$3_$1.sweep.jsonl"
}
squad_formula teacher qa/reader_model v1.1
squad_formula teacher qa/reader_model v2.0
# After training: python -m bench.train_reader --ckpt bench/out/student4 --export bench/out/student4-export --bias 0.8
for d in v1.1 v2.0; do squad_formula student "$PWD/bench/out/student4-export" "$d"; done
$PY -m bench.reader_speed --index "$MINI/mini21/index" --variants onnx-fp32,student:onnx-fp32,fp32,student:fp32 \
  --also "student=$PWD/bench/out/student4-export" --compare-to onnx-fp32 --out "$O/reader_speed_student.json"
# The same shipped reader cut to its bottom 5 and 4 layers with no training (the reason for training 4).
for n in 5 4; do
  $PY -m bench.train_reader --ckpt "$O/cut$n-ckpt" --init qa/reader_model --layers $n --export "$O/cut$n" --bias 0.8
  squad_formula "cut$n" "$O/cut$n" v1.1
done
