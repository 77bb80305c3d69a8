#!/usr/bin/env bash
# Covariate parameter-recovery coverage (issue 16): SEEDS shops of CUSTOMERS simulated
# customers each with a channel attribute of known effect (clv simulate --attribute-effects),
# each refitted with clv train --attributes; counts, per parameter, the seeds whose 95% Wald
# interval (log scale for r, alpha, a, b; estimate ± 1.96 SE for the coefficients, as clv train
# prints them) contains the true value. With exact 95% intervals each count is
# binomial(SEEDS, 0.95). With a spend effect in EFFECTS (spend=0.3), Gamma-Gamma is also
# refitted with the channel as a spend covariate and p, q, gamma and spend.channel=web are
# counted too. Release build.
#
# Example: EFFECTS=purchase=0.5,dropout_a=0.4,spend=0.3 scripts/check-covariate-coverage.sh
# Usage: scripts/check-covariate-coverage.sh [CUSTOMERS] [SEEDS]   (defaults 50000, 20)
set -euo pipefail
customers=${1:-50000}
seeds=${2:-20}
effects=${EFFECTS:-purchase=0.5,dropout_a=0.4,dropout_b=0}
spend=0; case "$effects" in *spend=*) spend=1 ;; esac
cd "$(dirname "$0")/.."
swift build -c release --product clv >/dev/null
clv=.build/release/clv
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for seed in $(seq 1 "$seeds"); do
  "$clv" simulate --customers "$customers" --seed "$seed" -o "$work/orders.csv" \
    --attribute-effects "$effects" 2>/dev/null
  "$clv" train "$work/orders.csv" --model bgnbd --attributes "$work/orders.csv.attributes.csv" \
    -o "$work/model-$seed.json" >/dev/null 2>&1
  if [ "$spend" = 1 ]; then
    "$clv" train "$work/orders.csv" --model gamma-gamma \
      --attributes "$work/orders.csv.attributes.csv" -o "$work/spend-$seed.json" >/dev/null 2>&1
  fi
  cp "$work/orders.csv.truth.json" "$work/truth-$seed.json"
done
python3 - "$work" "$seeds" "$customers" <<'PY'
import json, math, sys
work, seeds, customers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
z = 1.959963984540054
covered, names, estimates = {}, None, {}
for seed in range(1, seeds + 1):
    model = json.load(open(f"{work}/model-{seed}.json"))
    truth = json.load(open(f"{work}/truth-{seed}.json"))
    true = dict(truth["parameters"]); true.update(truth["covariates"]["coefficients"])
    try:  # Gamma-Gamma with the spend covariate, when EFFECTS has spend=…
        spend = json.load(open(f"{work}/spend-{seed}.json"))
        for key in ("parameters", "standardErrors"):
            model[key].update(spend[key])
        positive = {k: truth["spend"][k] for k in ("p", "q", "gamma")}
        truth["parameters"].update(positive)
        true.update(positive)
    except FileNotFoundError:
        pass
    names = list(true)
    true_values = true
    for name, value in true.items():
        est, se = model["parameters"][name], model["standardErrors"][name]
        estimates.setdefault(name, []).append((est, se))
        if name in truth["parameters"]:
            lo, hi = est * math.exp(-z * se / est), est * math.exp(z * se / est)
        else:
            lo, hi = est - z * se, est + z * se
        covered[name] = covered.get(name, 0) + (lo <= value <= hi)
print(f"95% interval coverage over {seeds} seeds of {customers} customers:")
print(f"  {'parameter':28s} {'true':>8s} {'covered':>9s} {'mean est.':>10s} {'sd est.':>9s} {'mean SE':>9s}")
for name in names:
    values = [e for e, _ in estimates[name]]
    mean = sum(values) / len(values)
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / max(len(values) - 1, 1))
    mse = sum(s for _, s in estimates[name]) / len(values)
    print(f"  {name:28s} {true_values[name]:8.4g} {covered[name]:3d} of {seeds:<3d} {mean:10.4g} {sd:9.3g} {mse:9.3g}")
PY
