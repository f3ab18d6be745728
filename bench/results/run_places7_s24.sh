# Session 24, seventh driver: main after adopting F, G and H (f6ab14d), on the three mini archives and SQuAD,
# to confirm the merged tree gives the arms' results (expected: G's hits, H's SQuAD answers).
O=$PWD/bench/out/s24
source bench/results/session_runs.sh
mini_news /tmp/s24/final mini21 dev-tune places7_final
mini_news /tmp/s24/final mini21t test places7_final
mini_news /tmp/s24/final mini22 dev-train places7_final
for data in v1.1 v2.0; do squad /tmp/s24/final "$data" places7_final; done
echo "== done $(date -u +%T)"
