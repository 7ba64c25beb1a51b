#!/usr/bin/env bash
# DGA classifier figures (issue 6 point 3; docs/benchmarks.md "Issue 6: DGA classifier").
# Usage: bench/dga_figures.sh BUILD_DIR SHARED_DOMAINS_DIR OUT_DIR
#   SHARED_DOMAINS_DIR = ../shared/data/domains (dga/*.txt, benign/tranco-top-100k.txt,
#   services/dyndns.txt). Builds nothing: needs BUILD_DIR/bench/dga_eval.
# The GPL DGA lists are read here for evaluation only; the shipped model never sees them.
set -euo pipefail
BUILD="$1"
SHARED="$2"
OUT="$3"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
EVAL="$BUILD/bench/dga_eval"
mkdir -p "$OUT"
COMMON=(--dga-dir "$SHARED/dga" --benign "$SHARED/benign/tranco-top-100k.txt"
        --platform-suffixes "$SHARED/services/dyndns.txt")

# Every LOFO fold also trains on 20,000 synthetic names (domain/dga/synthetic.h, seed 7), weighted
# like one family of that size: the held-out family then resembles a construction method seen in
# training, as for the shipped model (docs/domain-dga.md, "Leave-one-family-out: what moves it").
# Without --synthetic the figures are those before 2026-12-01.
echo "== leave-one-family-out, benign split tail (train ranks 1-40k, held out 40,001-99,999)"
"$EVAL" lofo "${COMMON[@]}" --split tail --synthetic 20000 --threads 2 | tee "$OUT/lofo_tail.md"
echo "== leave-one-family-out, benign split head (held out ranks 1-20k, train 20,001-99,999)"
"$EVAL" lofo "${COMMON[@]}" --split head --synthetic 20000 --threads 2 | tee "$OUT/lofo_head.md"
echo "== shipped model (synthetic-trained, data/dga/model.json) on the real lists"
"$EVAL" shipped "${COMMON[@]}" | tee "$OUT/shipped.md"
echo "== throughput, one core (taskset -c 0)"
# XGBoost's own model of the shipped trees, for the speed comparison (same training run).
"$EVAL" train-shipped --source "$ROOT" --out "$OUT/model-retrained.json" \
  --xgboost-out "$OUT/xgboost-model.json" --threads 2 > "$OUT/train.log"
cmp -s "$OUT/model-retrained.json" "$ROOT/data/dga/model.json" \
  && echo "retrained model is byte-identical to data/dga/model.json" \
  || echo "note: retrained model differs from data/dga/model.json"
taskset -c 0 "$EVAL" throughput --benign "$SHARED/benign/tranco-top-100k.txt" \
  --xgboost-model "$OUT/xgboost-model.json" --passes 3 | tee "$OUT/throughput.md"
