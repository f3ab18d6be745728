# Session 27, arm D (bench/results/date_preposition_rule_s27.txt): a date answer leaves out a leading
# in/on/at. D is worktree /tmp/s27/arm-d (branch arm-d-s27), main is worktree /tmp/s27/main (c0dbc6a);
# both run here, main first. Run from the repository root after run_squad_ranks_s27.sh.
O=$PWD/bench/out/s27
source bench/results/session_runs.sh
for arm in main D; do
  tree=/tmp/s27/main
  [ "$arm" = D ] && tree=/tmp/s27/arm-d
  arm_runs $tree date_$arm
done
echo "== done $(date -u +%T)"
