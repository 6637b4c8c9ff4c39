#!/bin/bash
# Refit the topic char-BERT on a GPU machine: `OUT=DIR bash scripts/device/topics_charbert.sh` from the
# repository root (the results are written to $OUT). Three recipes are fitted with --no-test and
# compared on the validation slice of the train documents only; the best is copied to $OUT/best and
# scored on the test split once, afterwards, on a machine with the full environment:
# `nlp-service train topics --score-test DIR`, then copy it to models/topics-charbert/ and
# `--record topics-charbert` (models/topics-charbert/MODEL_CARD.md).
# Needs plain python3 with torch and transformers; nothing is installed. Of the models it reads only
# models/charbert-gov-mlm. The recipes' work folders go to a new temporary directory (mktemp -d).
set -u
export PYTHONUNBUFFERED=1 PYTHONPATH=. TOKENIZERS_PARALLELISM=false
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
python3 -c "import torch, transformers; print(torch.__version__, transformers.__version__)"
# RECIPES="lr epochs seed;…" narrows the comparison (e.g. to the recipe an earlier run chose)
WORK=$(mktemp -d)
IFS=';' read -ra specs <<< "${RECIPES:-3e-4 15 0;2e-4 20 0;5e-4 15 0}"
for spec in "${specs[@]}"; do
  set -- $spec
  d=$WORK/tc_$1_$2_$3
  timeout 150 python3 -m nlp_service.training.topics --model charbert --lr $1 --epochs $2 --seed $3 \
     --minutes 2 --no-test --threads 8 --out $d 2>&1 | grep -E '^\{|Error|error|Traceback' | tail -25
  cp $d/metrics.json $OUT/m_$1_$2_$3.json
done
best=$(python3 - "$WORK" <<'PY'
import glob, json, sys
ms = [(json.load(open(p))["val_macro_f1"], p) for p in glob.glob(sys.argv[1] + "/tc_*/metrics.json")]
print(max(ms)[1].rsplit("/", 1)[0])
PY
)
echo BEST $best
mkdir -p $OUT/best && cp $best/model.safetensors $best/config.json $best/vocab.txt $best/metrics.json $OUT/best/
ls -la $OUT $OUT/best
