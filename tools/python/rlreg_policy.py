#!/usr/bin/env python3
"""Rebuild a policy exported by `rlreg export --run DIR --format pt --out FILE.pt` in plain PyTorch.

    import rlreg_policy
    networks, description = rlreg_policy.load("policy.pt")   # reads policy.pt and policy.json
    logits = networks["actor"](torch.tensor(observations))   # PPO; DQN's Q-values are networks["online"]

The state_dict holds every policy network under `<network>.<key>`; the JSON describes each network layer by layer
(linear, weight_norm_linear, layer_norm, batch_norm, relu, tanh; RN-family layers are named but cannot be rebuilt
from plain PyTorch layers). Run as a script, it rebuilds every network it can and checks it against the outputs the
export computed for a few seeded observations (exit 1 on a mismatch).
"""
import json
import sys
from collections import OrderedDict
from pathlib import Path

import torch
from torch import nn


class _BatchNorm(nn.Module):
    """RLRegularity's batch-norm layer: a BatchNorm1d held as `bn`, so the state_dict keys match."""

    def __init__(self, features, eps, momentum):
        super().__init__()
        self.bn = nn.BatchNorm1d(features, eps=eps, momentum=momentum)

    def forward(self, x):
        return self.bn(x)


def _layer(spec):
    kind = spec["type"]
    if kind == "linear":
        return nn.Linear(spec["in"], spec["out"])
    if kind == "weight_norm_linear":
        # weight = g * v / ||v|| row by row: PyTorch's weight_norm over dim 0, with the same parameter names.
        return nn.utils.weight_norm(nn.Linear(spec["in"], spec["out"]), dim=0)
    if kind == "layer_norm":
        return nn.LayerNorm(spec["features"], eps=spec["eps"])
    if kind == "batch_norm":
        return _BatchNorm(spec["features"], spec["eps"], spec["momentum"])
    if kind == "relu":
        return nn.ReLU()
    if kind == "tanh":
        return nn.Tanh()
    if kind == "identity":
        return nn.Identity()
    raise NotImplementedError(f"layer {spec['name']} of type {kind} has no plain PyTorch counterpart")


class _Mlp(nn.Module):
    """The exported MLP: its layers in a Sequential named as in the export (the state_dict's key prefix)."""

    def __init__(self, description):
        super().__init__()
        layers = nn.Sequential(OrderedDict((spec["name"], _layer(spec)) for spec in description["layers"]))
        self.container = description["container"]
        self.add_module(self.container, layers)

    def forward(self, x):
        return getattr(self, self.container)(x)


def load(path, description_path=None):
    """Returns ({network name: rebuilt module in eval mode}, description); networks that cannot be rebuilt are left out."""
    path = Path(path)
    description = json.loads(Path(description_path or path.with_suffix(".json")).read_text())
    if description.get("format") != "rlregularity-policy/1":
        raise ValueError(f"{path}: not an rlregularity-policy/1 export (format {description.get('format')!r})")
    state = torch.load(path, map_location="cpu")
    networks = {}
    for name, network in description["networks"].items():
        if not network["rebuildable"]:
            continue
        module = _Mlp(network)
        prefix = name + "."
        module.load_state_dict({k[len(prefix):]: v for k, v in state.items() if k.startswith(prefix)}, strict=True)
        networks[name] = module.eval()
    return networks, description


def _check(path):
    state = torch.load(path, map_location="cpu")
    networks, description = load(path)
    ok = True
    for name, network in description["networks"].items():
        shapes = {k: list(v.shape) for k, v in state.items() if k.startswith(name + ".")}
        if shapes != network["state_dict"]:
            print(f"{name}: the state_dict's tensors differ from the description's", file=sys.stderr)
            ok = False
        if name not in networks:
            print(f"{name}: {len(shapes)} tensors loaded; not rebuilt: {network['why_not']}")
            continue
        observations = torch.tensor(description["check_observations"], dtype=torch.float32)
        with torch.no_grad():
            outputs = networks[name](observations).double()
        expected = torch.tensor(network["check_outputs"], dtype=torch.float64)
        diff = (outputs - expected).abs().max().item()
        print(f"{name}: rebuilt, {len(shapes)} tensors, max |output difference| {diff:.3g}")
        ok = ok and diff <= 1e-5
    return ok


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: rlreg_policy.py FILE.pt  (FILE.json beside it)")
    sys.exit(0 if _check(sys.argv[1]) else 1)
