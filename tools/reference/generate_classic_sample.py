#!/usr/bin/env python3
"""Writes tests/reference/classic-sample.json: CartPole-v1 and Acrobot-v1 trajectories as Gymnasium computes them.

A case is an environment id, a physical state and a list of actions. For each case the environment is made with
gymnasium.make (so the 500-step time limit applies), reset with seed 0, its physical state is overwritten with the
case's state, and the actions are taken until one step reports terminated or truncated (the case's action list is
cut there). Every step's observation (float32, widened to float64), reward and flags are written.

The cases come from a JSON file with a "cases" list whose items have "env", "state" and "actions" (the committed
classic-sample.json itself is such a file), or are drawn at random with --random:

    # regenerate the committed file from its own cases
    python3 tools/reference/generate_classic_sample.py tests/reference/classic-sample.json \
        --cases tests/reference/classic-sample.json
    # new cases: 4 per environment, states from reset(seed=s), uniformly random actions
    python3 tools/reference/generate_classic_sample.py OUT.json --random 4 --seed 1

Needs Python 3.10+ with gymnasium (1.4.0 produced the committed file) and numpy.
"""

import argparse
import json
import sys
from typing import List

import gymnasium as gym
import numpy as np

ENVS = ("CartPole-v1", "Acrobot-v1")
RESET_SEED = 0       # the reset that precedes overwriting the state; it only fixes the wrappers' bookkeeping
NOTES = ("Each case: env id, the physical state written into env.unwrapped.state right after reset(seed=0), the "
         "actions taken, and per step what Gymnasium returned. obs are float32 values widened to float64. Stops at "
         "the first terminated or truncated step.")


def trajectory(env_id: str, state: List[float], actions: List[int]) -> dict:
    """Replays actions from state until the episode ends or the actions run out."""
    env = gym.make(env_id)
    try:
        env.reset(seed=RESET_SEED)
        env.unwrapped.state = np.array(state, dtype=np.float64)
        taken, steps = [], []
        for action in actions:
            obs, reward, terminated, truncated, _ = env.step(int(action))
            taken.append(int(action))
            steps.append({"obs": [float(v) for v in obs], "reward": float(reward),
                          "terminated": bool(terminated), "truncated": bool(truncated)})
            if terminated or truncated:
                break
        return {"env": env_id, "state": [float(v) for v in state], "actions": taken, "steps": steps}
    finally:
        env.close()


def random_cases(per_env: int, seed: int) -> List[dict]:
    """per_env cases per environment: the state of reset(seed=seed+i) and enough uniform actions for a full episode."""
    rng = np.random.default_rng(seed)
    cases = []
    for env_id in ENVS:
        env = gym.make(env_id)
        for i in range(per_env):
            env.reset(seed=seed + i)
            state = [float(v) for v in env.unwrapped.state]
            actions = rng.integers(env.action_space.n, size=env.spec.max_episode_steps).tolist()
            cases.append({"env": env_id, "state": state, "actions": actions})
        env.close()
    return cases


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description="Write Gymnasium CartPole/Acrobot reference trajectories.")
    parser.add_argument("out", help="the JSON file to write")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--cases", help="JSON file whose 'cases' give env, state and actions")
    source.add_argument("--random", type=int, metavar="N", help="draw N random cases per environment")
    parser.add_argument("--seed", type=int, default=0, help="seed of --random (default 0)")
    args = parser.parse_args(argv)

    if args.cases:
        with open(args.cases) as f:
            cases = [{"env": c["env"], "state": c["state"], "actions": c["actions"]} for c in json.load(f)["cases"]]
    else:
        cases = random_cases(args.random, args.seed)
    payload = {"meta": {"schema_version": 1, "generator": f"gymnasium {gym.__version__}", "notes": NOTES},
               "cases": [trajectory(c["env"], c["state"], c["actions"]) for c in cases]}
    with open(args.out, "w") as f:
        # Compact, no trailing newline: the layout of the committed file, so a regeneration compares byte for byte.
        json.dump(payload, f, allow_nan=False)
    print(f"{args.out}: {len(payload['cases'])} cases, {sum(len(c['steps']) for c in payload['cases'])} steps")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
