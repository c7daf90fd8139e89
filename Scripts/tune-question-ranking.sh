#!/usr/bin/env bash
# Grid search of the question-ranking weights on the NCPQA dev questions, with a two-fold split
# (even and odd question numbers), as reported in the README's quality section.
#   Scripts/tune-question-ranking.sh INDEX   (an index of the four benchmark corpora)
set -euo pipefail
index=${1:?usage: $0 INDEX}
bin=${SEARCHDOCS:-.build/release/searchdocs}
eval_dir=../shared/eval/ncpqa
for ww in 0.6 1.2; do for tw in 0.4 0.8; do for pw in 1 2; do for width in 40 80; do for cs in 1 0.5; do for lw in 0 0.5; do
    out=$("$bin" eval --index "$index" --queries $eval_dir/queries.dev.tsv --qrels $eval_dir/qrels.dev.tsv --folds \
        --set wordWeight=$ww --set tripleWeight=$tw --set passageWeight=$pw --set passageWidth=$width --set commonPairShare=$cs --set leadWeight=$lw)
    echo "wordWeight=$ww tripleWeight=$tw passageWeight=$pw passageWidth=$width commonPairShare=$cs leadWeight=$lw" \
        "all=$(echo "$out" | sed -n 3p | awk '{print $2}')" \
        "even=$(echo "$out" | sed -n 5p | awk '{print $3}')" \
        "odd=$(echo "$out" | sed -n 6p | awk '{print $3}')"
done; done; done; done; done; done
