# Session 27: arms D and S merged on main (b82364a, worktree /tmp/s27/merged), run once on the four mini
# archives and SQuAD v1.1 dev half A (arm R's harness); these figures are main's after the session.
# Run from the repository root.
O=$PWD/bench/out/s27
source bench/results/session_runs.sh
tree=/tmp/s27/merged
arm_runs $tree merged
echo "== done $(date -u +%T)"
# (appended while it ran; a second command ran this after it: SQuAD v2.0 for the record, the README's row)
# O=$PWD/bench/out/s27; source bench/results/session_runs.sh; squad /tmp/s27/merged v2.0 merged
