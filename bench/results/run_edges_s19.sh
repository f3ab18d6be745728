#!/usr/bin/env bash
# Session 19: clean span edges (81b899a at /tmp/s19edge) on news dev-tune and SQuAD v1.1, compared
# with session 18's shipped arm (bench/out/s18/*_date*, the same code as main before this change);
# rule bench/results/span_edges_rule_s19.txt. The amendments' runs are run_edges2_s19.sh and
# run_edges3_s19.sh (which runs the test half once). Nothing else running.
set -u
O=$PWD/bench/out/s19
. bench/results/session_runs.sh
news /tmp/s19edge dev-tune edges
squad /tmp/s19edge v1.1 edges
echo "== done $(date -u +%T)"
