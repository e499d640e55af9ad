#!/usr/bin/env python3
"""Prints docs/PLASTICITY.md's tables (one per task) from a study's runs.csv.

Every number comes from `rlreg report RUNS.csv --metric NAME --split intervention --json`; this script only lays the
reports out: one row per intervention and measure, one column per normalizer, intervals as 95% bootstrap CIs.

    python3 tools/python/plasticity_table.py docs/results/plasticity-classic/runs.csv [--rlreg "rlreg"]
    python3 tools/python/plasticity_table.py docs/results/plasticity-minigrid/runs.csv --return-decimals 3
"""
import argparse
import json
import math
import shlex
import subprocess

NORMS = ["none", "ln", "rn", "rnln"]
INTERVENTIONS = ["none", "snp", "redo", "l2init"]
# (metric, label, statistic, decimals; None: the returns' decimals)
ROWS = [
    ("final_return", "final IQM [95% CI]", "iqm", None),
    ("auc", "AUC, mean", "mean", None),
    ("drop", "drop at the change, mean", "mean", None),
    ("recovery_steps", "steps to recover, IQM (runs)", "recovery", 0),
    ("dormant_after_change", "τ-dormant fraction after the change, mean", "mean", 3),
    ("effective_rank_before_change", "effective rank before the change, mean", "mean", 1),
    ("effective_rank_after_change", "effective rank after the change, mean", "mean", 1),
    ("weight_distance_final", "weight distance from init at the end, mean", "mean", 3),
]


def number(value, decimals):
    text = f"{value:,.{decimals}f}"
    return text.replace("-", "−")


def report(rlreg, runs, metric):
    out = subprocess.run(shlex.split(rlreg) + ["report", runs, "--metric", metric, "--split", "intervention", "--json"],
                         check=True, capture_output=True, text=True).stdout
    groups = {}
    for group in json.loads(out)["groups"]:
        groups[(group["env"], group["split"]["intervention"])] = group["normalizers"]
    return groups


def cell(stat, entry, decimals, total):
    if entry is None or entry["runs"] == 0:
        return f"0/{total}" if stat == "recovery" else "—"
    if stat == "recovery":
        return f"{number(entry['iqm']['estimate'], 0)} ({entry['runs']}/{total})"
    s = entry[stat]
    if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in (s["estimate"], s["lower"], s["upper"])):
        return "—"
    return f"{number(s['estimate'], decimals)} [{number(s['lower'], decimals)}, {number(s['upper'], decimals)}]"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs")
    parser.add_argument("--rlreg", default="rlreg", help="the command that runs rlreg (default: rlreg)")
    parser.add_argument("--return-decimals", type=int, default=1,
                        help="decimals of returns, AUC and drops (default 1; 3 for MiniGrid's returns in [0, 1])")
    args = parser.parse_args()
    reports = {metric: report(args.rlreg, args.runs, metric) for metric, *_ in ROWS}
    envs = sorted({env for env, _ in reports["final_return"]})
    for env in envs:
        print(f"#### {env}\n")
        print("| intervention | measure | " + " | ".join(f"`{n}`" for n in NORMS) + " |")
        print("| --- | --- | " + " | ".join("---" for _ in NORMS) + " |")
        for intervention in INTERVENTIONS:
            finals = reports["final_return"].get((env, intervention))
            if finals is None:
                continue
            for i, (metric, label, stat, decimals) in enumerate(ROWS):
                normalizers = reports[metric].get((env, intervention), {})
                places = args.return_decimals if decimals is None else decimals
                cells = [cell(stat, normalizers.get(n), places, finals[n]["runs"] if n in finals else 0) for n in NORMS]
                first = f"`{intervention}`" if i == 0 else ""
                print(f"| {first} | {label} | " + " | ".join(cells) + " |")
        print()


if __name__ == "__main__":
    main()
