#!/usr/bin/env bash
# Install (scripts/setup.sh), then run every built-in campaign end to end on its
# bundled sample data, each into out/demo/<preset> (or only the presets named:
# bash scripts/demo.sh town-internal).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
presets=("$@")
if [ ${#presets[@]} -eq 0 ]; then
  mapfile -t presets < <(.venv/bin/formgen presets | cut -f1)
fi
for p in "${presets[@]}"; do
  echo
  echo "════════ 演示：$p ════════"
  rm -rf "out/demo/$p"
  .venv/bin/formgen demo --preset "$p" "out/demo/$p"
done
echo
echo "== 全部演示完成：结果在 out/demo/ 下（每个预设一个目录）"
