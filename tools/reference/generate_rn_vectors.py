#!/usr/bin/python3
"""Writes the Regularity Normalization (RN) reference vectors of tests/reference/rn-vectors.

Each file is a sequence of calls of one RN-family layer (scalar RN, per-unit RLN, RN with a per-row prior,
LayerNorm then RN), with the layer state before and after every call, the intermediate quantities and two input
gradients. The layer is written here from the RN specification (batch statistics merged into the history,
Gaussian log-densities, COMP = logaddexp(COMP_prev, S), code length COMP - S, output = code length * input),
in float64 with torch autograd, and every call is checked three ways before it is written:

  * the autograd gradient of sum(output) against central finite differences;
  * the COMP update against the two-branch formula of the original implementation;
  * in training mode, the code length against softplus(COMP_prev - S).

Usage (Debian's interpreter, package python3-torch: torch 1.13, numpy 1.24):

    /usr/bin/python3 tools/reference/generate_rn_vectors.py tests/reference/rn-vectors
    /usr/bin/python3 tools/reference/generate_rn_vectors.py OUT_DIR --seed-base 7100

With the default seeds it rewrites the committed files byte for byte. --seed-base N replaces every input seed
(the k-th random input stream, in the order of FILES below, is seeded with N + k), which gives vectors the C#
implementation has never seen; the hand-written inputs (first rows, constant batches, edge cases) stay.
"""

import argparse
import json
import math
import os
import sys
from dataclasses import dataclass, field
from typing import List, Optional, Union

import numpy as np
import torch

F64 = torch.float64
LOG_SQRT_TWO_PI = 0.5 * math.log(2.0 * math.pi)
SIGMA_MIN = 1e-6            # a std below this makes a call degenerate (pass-through)
LAYER_NORM_EPS = 1e-5
FINITE_DIFFERENCE_STEP = 1e-6

Comp = Union[float, List[float]]


# ------------------------------------------------------------------------------------------------------------------
# Layer state and one forward call
# ------------------------------------------------------------------------------------------------------------------

@dataclass
class LayerState:
    """What an RN layer carries from call to call. mean and std stay None until the first training call."""
    initialized: bool = False
    mean: Optional[float] = None
    std: Optional[float] = None
    count: int = 0
    comp: Comp = 0.0

    def as_json(self) -> dict:
        # A fresh list for a vector COMP, so later records never alias an earlier one.
        comp = list(self.comp) if isinstance(self.comp, list) else self.comp
        return {"initialized": self.initialized, "mean": self.mean, "std": self.std, "count": self.count, "comp": comp}


@dataclass(frozen=True)
class LayerKind:
    """Which member of the RN family: per-unit code lengths (RLN) and/or a parameter-free LayerNorm in front."""
    per_unit: bool = False
    layer_norm_first: bool = False


@dataclass
class Forward:
    """Every intermediate of one call, as tensors of the autograd graph rooted at the input."""
    h: torch.Tensor                      # what RN sees: the input, or its LayerNorm
    batch_mean: torch.Tensor
    batch_var: torch.Tensor
    mean: torch.Tensor                   # statistics used for log_p (pooled in training, stored in eval)
    var: torch.Tensor
    count: int
    comp_prev: torch.Tensor
    std: float                           # sqrt(var) as a float, for the degenerate test and the records
    degenerate: bool
    log_p: Optional[torch.Tensor] = None
    evidence: Optional[torch.Tensor] = None
    comp: Optional[torch.Tensor] = None
    code_length: Optional[torch.Tensor] = None
    scale: Optional[torch.Tensor] = None
    output: Optional[torch.Tensor] = None


def layer_norm(x: torch.Tensor) -> torch.Tensor:
    """LayerNorm over the last axis without affine parameters: biased row variance, eps 1e-5."""
    centre = x.mean(dim=1, keepdim=True)
    spread = ((x - centre) ** 2).mean(dim=1, keepdim=True)
    return (x - centre) / torch.sqrt(spread + LAYER_NORM_EPS)


def forward(x: torch.Tensor, state: LayerState, training: bool, kind: LayerKind,
            prior: Optional[List[float]]) -> Forward:
    """One call of the layer on x [B, D], reading (never changing) state."""
    h = layer_norm(x) if kind.layer_norm_first else x
    n = h.numel()
    batch_mean = h.mean()
    # Unbiased variance; one element has variance 0 (kept in the graph so gradients stay defined).
    batch_var = ((h - batch_mean) ** 2).sum() / (n - 1) if n > 1 else (h - batch_mean).sum() * 0.0

    if training and not state.initialized:
        mean, var, count, comp_prev = batch_mean, batch_var, n, torch.tensor(0.0, dtype=F64)
    elif training:
        # History merge: weighted means, pooled within-group variance (0 when n_h + n - 2 <= 0).
        seen = state.count
        mean = (state.mean * seen + batch_mean * n) / (seen + n)
        pooled_dof = seen + n - 2
        var = ((seen - 1) * state.std ** 2 + (n - 1) * batch_var) / pooled_dof if pooled_dof > 0 else batch_var * 0.0
        count = seen + n
        comp_prev = torch.tensor(state.comp, dtype=F64)
    else:
        mean = torch.tensor(state.mean, dtype=F64)
        var = torch.tensor(state.std ** 2, dtype=F64)
        count = state.count
        comp_prev = torch.tensor(state.comp, dtype=F64)

    std = math.sqrt(max(float(var), 0.0))
    call = Forward(h=h, batch_mean=batch_mean, batch_var=batch_var, mean=mean, var=var, count=count,
                   comp_prev=comp_prev, std=std, degenerate=not (std >= SIGMA_MIN))
    if call.degenerate:
        # No usable Gaussian: the layer passes its input through and COMP stays.
        call.comp, call.scale, call.output = comp_prev, torch.ones_like(h), h
        return call

    sigma = torch.sqrt(var)
    call.log_p = -((h - mean) ** 2) / (2.0 * sigma ** 2) - torch.log(sigma) - LOG_SQRT_TWO_PI
    # Evidence S: log of the summed densities, per unit for RLN (over the batch axis), else over all elements.
    call.evidence = torch.logsumexp(call.log_p, dim=0) if kind.per_unit \
        else torch.logsumexp(call.log_p.reshape(-1), dim=0)
    if training:
        call.comp = torch.logaddexp(comp_prev.expand_as(call.evidence), call.evidence)
    else:
        call.comp = comp_prev.expand_as(call.evidence) if comp_prev.dim() == 0 else comp_prev
    call.code_length = call.comp - call.evidence
    if kind.per_unit:
        call.scale = call.code_length.reshape(1, -1).expand_as(h)
    elif prior is not None:
        # The prior only lengthens the code of rare rows: l_b = l - log s_b (no gradient through s).
        per_row = call.code_length - torch.log(torch.tensor(prior, dtype=F64))
        call.scale = per_row.reshape(-1, 1).expand_as(h)
    else:
        call.scale = call.code_length.expand_as(h)
    call.output = call.scale * h
    return call


def state_after(call: Forward, state: LayerState, training: bool) -> LayerState:
    """The state the next call sees: training merges this batch in, eval leaves everything as it was."""
    if not training:
        return LayerState(state.initialized, state.mean, state.std, state.count,
                          list(state.comp) if isinstance(state.comp, list) else state.comp)
    comp = call.comp.detach()
    return LayerState(True, float(call.mean), call.std, int(call.count),
                      comp.tolist() if comp.dim() > 0 else float(comp))


# ------------------------------------------------------------------------------------------------------------------
# Self-checks
# ------------------------------------------------------------------------------------------------------------------

def check_gradient(inputs: np.ndarray, gradient: np.ndarray, state: LayerState, training: bool, kind: LayerKind,
                   prior: Optional[List[float]], where: str) -> None:
    """Compares d sum(output)/d input with central differences of the same call (state held fixed)."""
    def total(values: np.ndarray) -> float:
        with torch.no_grad():
            return float(forward(torch.tensor(values, dtype=F64), state, training, kind, prior).output.sum())

    numeric = np.zeros_like(inputs)
    for index in np.ndindex(inputs.shape):
        up, down = inputs.copy(), inputs.copy()
        up[index] += FINITE_DIFFERENCE_STEP
        down[index] -= FINITE_DIFFERENCE_STEP
        numeric[index] = (total(up) - total(down)) / (2 * FINITE_DIFFERENCE_STEP)
    # Central differences with h = 1e-6 are good to about 1e-8 relative; 1e-4 leaves room for cancellation.
    allowed = 1e-5 + 1e-6 * np.abs(gradient).max() + 1e-4 * np.abs(numeric)
    if not np.all(np.abs(gradient - numeric) <= allowed):
        raise AssertionError(f"{where}: autograd and finite differences disagree\n{gradient}\n{numeric}")


def check_comp(call: Forward, kind: LayerKind, where: str) -> int:
    """Recomputes COMP with the original two-branch update and the code length as softplus; returns the branch."""
    previous = call.comp_prev.detach().numpy()
    log_p = call.log_p.detach().numpy()
    top = log_p.max()
    axis = 0 if kind.per_unit else None
    if previous.max() > top:
        branch, comp = 1, previous + np.log(1.0 + np.exp(log_p - previous).sum(axis=axis))
    else:
        branch, comp = 2, top + np.log(np.exp(previous - top) + np.exp(log_p - top).sum(axis=axis))
    if not np.allclose(comp, call.comp.detach().numpy(), rtol=1e-12, atol=1e-12):
        raise AssertionError(f"{where}: COMP differs from the two-branch update")
    softplus = np.logaddexp(0.0, previous - call.evidence.detach().numpy())
    if not np.allclose(softplus, call.code_length.detach().numpy(), rtol=1e-12, atol=1e-12):
        raise AssertionError(f"{where}: code length differs from softplus(COMP_prev - S)")
    return branch


# ------------------------------------------------------------------------------------------------------------------
# Records
# ------------------------------------------------------------------------------------------------------------------

def as_list(value):
    """A tensor (or None) as nested Python floats; a 0-d tensor becomes a float."""
    return None if value is None else value.detach().numpy().tolist()


def call_record(inputs: np.ndarray, state: LayerState, training: bool, kind: LayerKind,
                prior: Optional[List[float]], where: str):
    """Runs one checked call; returns its JSON record (without index) and the next state."""
    x = torch.tensor(inputs, dtype=F64, requires_grad=True)
    call = forward(x, state, training, kind, prior)
    (grad_full,) = torch.autograd.grad(call.output.sum(), x)
    # The same derivative with the per-element scale held constant: the scale itself, unless a LayerNorm sits between.
    if kind.layer_norm_first:
        x_again = torch.tensor(inputs, dtype=F64, requires_grad=True)
        (grad_detached,) = torch.autograd.grad((call.scale.detach() * layer_norm(x_again)).sum(), x_again)
    else:
        grad_detached = call.scale.detach().clone()

    check_gradient(inputs, grad_full.numpy(), state, training, kind, prior, where)
    branch = check_comp(call, kind, where) if training and not call.degenerate else None
    following = state_after(call, state, training)

    record = {
        "mode": "train" if training else "eval",
        "input_shape": list(inputs.shape),
        "input": inputs.tolist(),
        "state_before": state.as_json(),
        "batch": {"mean": float(call.batch_mean), "std": math.sqrt(max(float(call.batch_var), 0.0)),
                  "count": int(call.h.numel())},
        "stats_used": {"mean": float(call.mean), "std": call.std, "count": int(call.count)},
        "degenerate": call.degenerate,
        "log_p": as_list(call.log_p),
        "log_p_max": None if call.degenerate else float(call.log_p.max()),
        "comp_prev": as_list(call.comp_prev),
        "log_evidence": as_list(call.evidence),
        "comp_branch_original": branch,
        "comp": as_list(call.comp),
        "l_nml": as_list(call.code_length),
        "output": as_list(call.output),
        "state_after": following.as_json(),
        "grad_full": grad_full.numpy().tolist(),
        "grad_scale_detached": grad_detached.numpy().tolist(),
    }
    if kind.layer_norm_first:
        record["ln_output"] = as_list(call.h)
    if prior is not None:
        record["prior"] = [float(s) for s in prior]
        record["l_nml_with_prior"] = None if call.degenerate \
            else as_list(call.code_length - torch.log(torch.tensor(prior, dtype=F64)))
    return record, following


def passthrough_record(inputs: np.ndarray, state: LayerState) -> dict:
    """An eval call before any training call: the layer has no statistics and returns its input."""
    ones = np.ones_like(inputs).tolist()
    return {"mode": "eval", "input_shape": list(inputs.shape), "input": inputs.tolist(),
            "state_before": state.as_json(), "passthrough": True, "l_nml": None, "output": inputs.tolist(),
            "state_after": state.as_json(), "grad_full": ones, "grad_scale_detached": ones}


@dataclass
class Step:
    """One call of a sequence: its input, its mode and, for RN with a prior, the prior and where it came from."""
    inputs: np.ndarray
    training: bool = True
    prior: Optional[List[float]] = None
    rewards: Optional[List[float]] = None     # set when the prior is the reward-sign frequency of these rewards


def run(steps: List[Step], kind: LayerKind, where: str) -> List[dict]:
    """Runs the steps in order on one fresh layer and returns their records."""
    state = LayerState()
    records = []
    for index, step in enumerate(steps):
        record, state = call_record(step.inputs, state, step.training, kind, step.prior, f"{where} call {index}")
        record = {"index": index, **record}
        if step.rewards is not None:
            record["prior_source"] = {"type": "reward_sign_frequency", "rewards": [float(r) for r in step.rewards]}
        elif step.prior is not None:
            record["prior_source"] = {"type": "explicit"}
        records.append(record)
    return records


def reward_sign_prior(rewards: List[float]) -> List[float]:
    """The reward prior: s_b is the share of the batch whose reward has the sign of sample b's reward."""
    signs = np.sign(np.asarray(rewards, dtype=np.float64))
    return [float(np.count_nonzero(signs == sign)) / len(signs) for sign in signs]


# ------------------------------------------------------------------------------------------------------------------
# Inputs: one random stream per file, each matrix drawn from a normal and rounded to 4 decimals
# ------------------------------------------------------------------------------------------------------------------

def draw(rng: np.random.RandomState, rows: int, cols: int, mean: float, std: float) -> np.ndarray:
    return np.round(rng.normal(mean, std, size=(rows, cols)), 4)


# A first batch so tight that its densities exceed 1, which sends the original to its second COMP branch.
TIGHT_FIRST_ROW = [0.05, -0.02, 0.11, 0.07]
PLAIN_FIRST_ROW = [0.5, -1.2, 0.3, 2.0]
LAST_EVAL_ROW = [-0.75, 0.1, 1.9, 0.6]


def eight_calls(rng: np.random.RandomState, wide_third_call: bool, first_row: List[float]) -> List[Step]:
    """Six training calls (one row, normal, narrow, constant, wide, shifted) and two eval calls, all of width 4
    except the third call, which is 8 wide where the layer's statistics are over all elements (scalar RN)."""
    third_width = 8 if wide_third_call else 4
    # The draws happen in this order; the constant and hand-written batches draw nothing.
    second = draw(rng, 5, 4, 0.2, 1.0)
    third = draw(rng, 3, third_width, -0.3, 0.7)
    fifth = draw(rng, 4, 4, 0.0, 2.0)
    sixth = draw(rng, 6, 4, 1.5, 1.2)
    seventh = draw(rng, 3, 4, 0.4, 1.0)
    return [Step(np.array([first_row], dtype=np.float64)), Step(second), Step(third),
            Step(np.full((2, 4), 0.25)), Step(fifth), Step(sixth),
            Step(seventh, training=False), Step(np.array([LAST_EVAL_ROW], dtype=np.float64), training=False)]


def scalar_rn(seed: int) -> List[dict]:
    return run(eight_calls(np.random.RandomState(seed), True, TIGHT_FIRST_ROW), LayerKind(), "rn_scalar")


def per_unit_rln(seed: int) -> List[dict]:
    return run(eight_calls(np.random.RandomState(seed), False, TIGHT_FIRST_ROW), LayerKind(per_unit=True), "rln_per_unit")


# Rewards of calls 0-4 (the prior is their sign frequency); call 5 has an explicit prior with one tiny weight.
PRIOR_REWARDS = [[1.0], [0.0, 0.0, 1.0, 0.0, -1.0], [1.0, 1.0, 1.0], [1.0, 0.0], [0.0, 0.0, 0.0, 0.5]]
EXPLICIT_PRIOR = [1.0, 0.5, 0.25, 0.125, 0.9, 0.01]


def rn_with_prior(seed: int) -> List[dict]:
    steps = eight_calls(np.random.RandomState(seed), True, PLAIN_FIRST_ROW)
    for step, rewards in zip(steps, PRIOR_REWARDS):
        step.rewards, step.prior = rewards, reward_sign_prior(rewards)
    steps[len(PRIOR_REWARDS)].prior = EXPLICIT_PRIOR
    return run(steps, LayerKind(), "rn_prior")


def layer_norm_then_rn(seed: int) -> List[dict]:
    rng = np.random.RandomState(seed)
    shapes = [(3, 0.5, 1.0), (5, -0.2, 2.0), (1, 1.0, 1.0), (4, 0.0, 0.5), (2, 0.3, 1.0)]
    steps = [Step(draw(rng, rows, 4, mean, std)) for rows, mean, std in shapes]
    steps[-1].training = False
    return run(steps, LayerKind(layer_norm_first=True), "rn_after_ln")


LONG_RUN_CALLS = 40
LONG_RUN_DRIFT = 0.05          # added to the input mean on every call
SLIM_KEYS = ("index", "mode", "input", "stats_used", "log_evidence", "comp", "l_nml", "output", "state_after")


def long_run(seed: int) -> List[dict]:
    rng = np.random.RandomState(seed)
    steps = [Step(draw(rng, 5, 4, LONG_RUN_DRIFT * t, 1.0)) for t in range(LONG_RUN_CALLS)]
    return [{key: record[key] for key in SLIM_KEYS} for record in run(steps, LayerKind(), "rn_long_run")]


def edge_cases() -> dict:
    """Hand-written degenerate inputs; no random stream."""
    def sequence(name: str, calls) -> List[dict]:
        state, records = LayerState(), []
        for index, (matrix, training) in enumerate(calls):
            inputs = np.array(matrix, dtype=np.float64)
            if not training and not state.initialized:
                record = passthrough_record(inputs, state)
            else:
                record, state = call_record(inputs, state, training, LayerKind(), None, f"edge_cases/{name} call {index}")
            records.append({"index": index, **record})
        return records

    return {
        "eval_before_training_then_constant_first_batch": sequence("eval_before_training", [
            ([[0.3, -0.1, 0.7]], False), (np.full((2, 3), -0.375), True),
            ([[0.1, 0.9, -0.5], [1.2, 0.0, 0.4]], True), ([[0.2, -0.2, 0.5]], False)]),
        "single_element_batches": sequence("single_element_batches", [
            ([[0.8]], True), ([[-0.3]], True), ([[0.5, 1.5], [-1.0, 0.25]], True)]),
    }


# ------------------------------------------------------------------------------------------------------------------
# Files
# ------------------------------------------------------------------------------------------------------------------

CONFIG = {
    "dtype": "float64",
    "comp_init": 0.0,
    "std_estimator": "unbiased (divisor N-1); a single-element batch has std 0",
    "history_merge": "pooled within-batch variance: ((n-1)s_h^2 + (N-1)s_b^2)/(n+N-2); 0 if n+N-2 <= 0",
    "sigma_min": SIGMA_MIN,
    "degenerate_rule": "if the std that would be used is < sigma_min the call is degenerate: output = input, "
                       "COMP unchanged, l_nml = null; in training mode mean/std/count are still updated",
    "eval_code_length": "COMP - S (COMP not updated)",
    "eval_before_training": "pass-through: output = input, l_nml = null",
    "grad_full": "d sum(output) / d input; state_before (mean, std, count, comp) is constant; "
                 "batch statistics, pooled statistics, log_p, S, COMP and l all depend on the input",
    "grad_scale_detached": "d sum(output) / d input with the per-element scale treated as a constant",
}


@dataclass(frozen=True)
class VectorFile:
    """One output file: its name, variant, description (the committed files' text, kept so they regenerate
    byte for byte), extra config entries, default input seed (None: no random input) and builder."""
    name: str
    variant: str
    description: str
    build: object
    seed: Optional[int] = None
    config_extra: dict = field(default_factory=dict)


FILES = [
    VectorFile("rn_scalar.json", "rn",
               "Scalar RN: one Gaussian, one COMP and one code length per layer. "
               "Six training calls (tight 1x4, 5x4, 3x8, constant 2x4, 4x4, shifted 6x4) then two eval calls.",
               scalar_rn, 20190227),
    VectorFile("rln_per_unit.json", "rln",
               "RLN: scalar Gaussian statistics as in RN, but the evidence S, COMP and the code length are per unit "
               "(log-sum-exp over the batch axis). COMP starts as the scalar 0 and becomes a vector of length D "
               "after the first training call.",
               per_unit_rln, 20190228),
    VectorFile("rn_prior.json", "rn_prior",
               "RN with a per-sample prior s_b in (0,1]: l_b = l_nml - log(s_b), y[b,:] = l_b * x[b,:]. COMP and "
               "the statistics are updated exactly as in plain RN. Calls 0-4 derive s from rewards (share of the "
               "batch with the same reward sign); call 5 uses an explicit prior; eval calls use no prior (s = 1).",
               rn_with_prior, 20190301, {"prior": "s_b in (0,1]; no gradient through s"}),
    VectorFile("rn_after_ln.json", "ln_then_rn",
               "LayerNorm over the last axis (no affine parameters, eps 1e-5, biased variance) followed by scalar "
               "RN on the LayerNorm output. Statistics, log_p etc. refer to the LN output (ln_output); grad_* are "
               "with respect to the raw input.",
               layer_norm_then_rn, 20190302, {"layer_norm": {"eps": LAYER_NORM_EPS, "affine": False}}),
    VectorFile("rn_long_run.json", "rn",
               "Forty training calls of 5x4 inputs whose mean drifts by 0.05 per call. Slim records (no gradients, "
               "no log_p).",
               long_run, 7),
    VectorFile("edge_cases.json", "rn",
               "Degenerate inputs under the recommended guards: eval before any training call (pass-through); a "
               "constant first batch (std 0 -> degenerate pass-through, statistics still recorded); "
               "single-element batches (std of one element is 0; pooled denominator n+N-2 = 0 gives variance 0; "
               "under the pooled rule single elements never add variance).",
               edge_cases),
]


def contents(spec: VectorFile, seed: Optional[int]) -> dict:
    body = spec.build() if spec.seed is None else spec.build(seed)
    return {"schema_version": 1, "variant": spec.variant, "description": spec.description,
            "config": {**CONFIG, **spec.config_extra}, ("cases" if spec.seed is None else "calls"): body}


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description="Write the RN reference vector files (float64, self-checked).")
    parser.add_argument("out_dir", help="folder to write the JSON files into (created if missing)")
    parser.add_argument("--seed-base", type=int, default=None,
                        help="replace every input seed: the k-th seeded file (in file order) uses N + k; "
                             "default: the seeds of the committed files")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)    # the values do not depend on it; this keeps a test run from taking every core
    os.makedirs(args.out_dir, exist_ok=True)
    seeded = 0
    for spec in FILES:
        seed = None
        if spec.seed is not None:
            seed = spec.seed if args.seed_base is None else args.seed_base + seeded
            seeded += 1
        path = os.path.join(args.out_dir, spec.name)
        with open(path, "w") as f:
            # indent=1 and Python's round-trip float repr: every number parses back to the float64 computed here.
            json.dump(contents(spec, seed), f, indent=1, allow_nan=False)
            f.write("\n")
        print(f"{path}" + ("" if seed is None else f" (seed {seed})"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
