#!/usr/bin/env python3
"""Prints docs/results/arithmetic/README.md's table: RN's fast arithmetic against its reference, per task and normalizer.

Every number comes from `rlreg report`: the study's runs.csv is copied with each run's normalizer renamed to
NORM+ARITHMETIC (rn+fast, rn+reference, ...), so that one report holds both arithmetics and P(fast > reference) is
its probability of improvement over NORM+reference. This script only renames and lays the reports out.

    python3 tools/python/arithmetic_table.py docs/results/arithmetic/runs.csv [--rlreg "rlreg"]
"""
import argparse
import csv
import json
import os
import shlex
import subprocess
import tempfile

METRICS = [("final_return", "final return"), ("auc", "AUC")]


def arithmetic_of(command):
    for value in ("fast", "reference"):
        if f"normalizer_options.arithmetic={value}" in command.replace('"', ""):
            return value
    raise ValueError(f"no normalizer_options.arithmetic in: {command}")


def renamed(runs, folder):
    path = os.path.join(folder, "runs.csv")
    with open(runs, newline="") as source, open(path, "w", newline="") as target:
        reader = csv.DictReader(source)
        writer = csv.DictWriter(target, fieldnames=reader.fieldnames, lineterminator="\n")
        writer.writeheader()
        norms = set()
        for row in reader:
            norms.add(row["norm"])
            row["norm"] = f"{row['norm']}+{arithmetic_of(row['command'])}"
            writer.writerow(row)
    return path, sorted(norms)


def report(rlreg, runs, metric, baseline):
    out = subprocess.run(shlex.split(rlreg) + ["report", runs, "--metric", metric, "--baseline", baseline, "--json"],
                         check=True, capture_output=True, text=True).stdout
    return {(g["agent"], g["env"]): g["normalizers"] for g in json.loads(out)["groups"]}


def interval(s, decimals=1):
    return f"{s['estimate']:,.{decimals}f} [{s['lower']:,.{decimals}f}, {s['upper']:,.{decimals}f}]"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs")
    parser.add_argument("--rlreg", default="rlreg", help="the command that runs rlreg (default: rlreg)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        runs, norms = renamed(args.runs, folder)
        reports = {(metric, norm): report(args.rlreg, runs, metric, f"{norm}+reference") for metric, _ in METRICS for norm in norms}
    header = ["agent", "env", "norm"]
    for _, label in METRICS:
        header += [f"{label}: fast, IQM [95% CI]", f"{label}: reference, IQM [95% CI]", f"{label}: P(fast > reference) [95% CI]"]
    print("| " + " | ".join(header) + " |")
    print("| " + " | ".join("---" for _ in header) + " |")
    first = reports[(METRICS[0][0], norms[0])]
    for agent, env in sorted(first):
        for norm in norms:
            cells = [agent, env, norm]
            for metric, _ in METRICS:
                entries = reports[(metric, norm)][(agent, env)]
                fast, reference = entries[f"{norm}+fast"], entries[f"{norm}+reference"]
                decimals = 0 if metric == "auc" else 1
                cells += [interval(fast["iqm"], decimals), interval(reference["iqm"], decimals),
                          interval(fast["probability_of_improvement_over_baseline"], 2)]
            print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
