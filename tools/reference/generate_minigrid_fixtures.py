#!/usr/bin/env python3
"""Writes tests/reference/minigrid-obs-sample.json: Minigrid situations with the observation Minigrid computes in
each and the outcome of each of the 7 actions taken from it.

A situation is a level of a registered Minigrid environment (env id and reset seed) in some state: the grid's
cells, the agent's position and direction, what it carries, the step counter and the mission. Situations come from
an input JSON file with a "fixtures" list (the committed minigrid-obs-sample.json is such a file); each item has a
"source" {"env", "seed", "random_steps"} and optionally a "grid":

  * with a "grid", the situation is rebuilt exactly: the level of reset(seed) is made, then changed to match the
    grid (objects that are still there keep their identity, so the environment's own mission checks, which hold
    references to its doors and targets, still work; moved objects are found by type and colour). This is how the
    committed file is regenerated: its situations came from random rollouts whose action stream is not recorded.
  * without one, the situation is made by resetting with the seed and taking random_steps uniformly random actions
    drawn from numpy's default_rng(seed), resetting (unseeded) whenever an episode ends.

For every situation the generator writes the observation (image rows first: image[y][x] = [object, colour, state])
and, except for Dynamic-Obstacles levels whose obstacles move at random, the outcome of every action 0-6 taken from
a copy of the situation: reward, terminated, truncated and the situation afterwards.

    # regenerate the committed file from its own situations
    python3 tools/reference/generate_minigrid_fixtures.py tests/reference/minigrid-obs-sample.json \
        --situations tests/reference/minigrid-obs-sample.json

Needs Python 3.10+ with minigrid 3.x (3.0.0 and 3.1.0 both reproduce the committed file), gymnasium and numpy.
"""

import argparse
import copy
import json
import sys
from typing import List, Optional, Tuple

import gymnasium as gym
import minigrid  # noqa: F401  (registers the MiniGrid-* environments)
import numpy as np
from minigrid.core.world_object import Door, WorldObj

ACTIONS = range(7)       # left, right, forward, pickup, drop, toggle, done
EMPTY_CELL = [1, 0, 0]   # Minigrid's encoding of a cell without an object
DOOR_OPEN, DOOR_CLOSED, DOOR_LOCKED = 0, 1, 2
LAYOUT = ("cells[y][x] = [object index, colour index, state]; obs image[y][x] likewise, in the agent's egocentric "
          "frame as Minigrid returns it (image[x, y] in numpy, stored row y first here)")


def describe(env) -> dict:
    """The situation of an environment in the fixture schema (cells rows first, the agent not drawn in)."""
    return {"width": env.width, "height": env.height, "cells": env.grid.encode().transpose(1, 0, 2).tolist(),
            "agent_pos": [int(v) for v in env.agent_pos], "agent_dir": int(env.agent_dir),
            "carrying": None if env.carrying is None else [int(v) for v in env.carrying.encode()],
            "step_count": int(env.step_count), "max_steps": int(env.max_steps), "mission": env.mission}


def with_state(obj: WorldObj, state: int) -> WorldObj:
    """Gives an object the encoded state; only doors have one (open, closed, locked)."""
    if isinstance(obj, Door):
        obj.is_open, obj.is_locked = state == DOOR_OPEN, state == DOOR_LOCKED
    return obj


def same_kind(obj: WorldObj, code: List[int]) -> bool:
    encoded = obj.encode()
    return encoded[0] == code[0] and encoded[1] == code[1]


def rebuild(env, grid: dict) -> None:
    """Turns the freshly reset level of env into the described situation, keeping object identities where it can."""
    if (env.width, env.height) != (grid["width"], grid["height"]):
        raise ValueError(f"{env.spec.id if env.spec else env}: level is {env.width}x{env.height}, "
                         f"the situation is {grid['width']}x{grid['height']}")
    cells = {(x, y): grid["cells"][y][x] for y in range(env.height) for x in range(env.width)}
    before = {pos: env.grid.get(*pos) for pos in cells}
    after: dict = {}
    # Objects still in their place (same type and colour) stay the same Python objects, only their state changes.
    for pos, code in cells.items():
        obj = before[pos]
        if code == EMPTY_CELL and obj is None:
            after[pos] = None
        elif obj is not None and code != EMPTY_CELL and same_kind(obj, code):
            after[pos] = with_state(obj, code[2])
    # Everything else was moved, picked up or is new: reuse a displaced object of the same kind, else make one.
    displaced = [obj for pos, obj in before.items() if obj is not None and after.get(pos, False) is not obj]

    def take(code: List[int], pos: Optional[Tuple[int, int]]) -> WorldObj:
        for i, obj in enumerate(displaced):
            if same_kind(obj, code):
                found = with_state(displaced.pop(i), code[2])
                break
        else:
            found = WorldObj.decode(*code)
        found.cur_pos = pos if pos is not None else (-1, -1)
        return found

    for pos, code in cells.items():
        if pos not in after:
            after[pos] = None if code == EMPTY_CELL else take(code, pos)
    for pos, obj in after.items():
        env.grid.set(*pos, obj)
    env.carrying = None if grid["carrying"] is None else take(grid["carrying"], None)
    env.agent_pos = (grid["agent_pos"][0], grid["agent_pos"][1])
    env.agent_dir = grid["agent_dir"]
    env.step_count = grid["step_count"]
    env.max_steps = grid["max_steps"]
    env.mission = grid["mission"]
    if describe(env) != grid:
        raise AssertionError(f"could not rebuild the situation in {env.spec.id if env.spec else env}")


def roll_out(env, seed: int, steps: int) -> None:
    """Uniformly random actions from default_rng(seed); an ended episode starts again without a seed."""
    rng = np.random.default_rng(seed)
    for _ in range(steps):
        _, _, terminated, truncated, _ = env.step(int(rng.integers(len(ACTIONS))))
        if terminated or truncated:
            env.reset()


def fixture(source: dict, grid: Optional[dict]) -> dict:
    wrapped = gym.make(source["env"])
    try:
        wrapped.reset(seed=source["seed"])
        env = wrapped.unwrapped
        if grid is not None:
            rebuild(env, grid)
        else:
            roll_out(env, source["seed"], source["random_steps"])
        obs = env.gen_obs()
        record = {"source": {"env": source["env"], "seed": source["seed"], "random_steps": source["random_steps"]},
                  "grid": describe(env),
                  "obs": {"image": obs["image"].transpose(1, 0, 2).tolist(), "direction": int(obs["direction"]),
                          "mission": obs["mission"]}}
        if "DynamicObstacles" not in type(env).__name__:
            outcomes = {}
            for action in ACTIONS:
                # A deep copy keeps the references between the level and the environment's mission state.
                trial = copy.deepcopy(env)
                _, reward, terminated, truncated, _ = trial.step(action)
                outcomes[str(action)] = {"reward": float(reward), "terminated": bool(terminated),
                                         "truncated": bool(truncated), "after": describe(trial)}
            record["steps"] = outcomes
        return record
    finally:
        wrapped.close()


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description="Write Minigrid observation and step fixtures.")
    parser.add_argument("out", help="the JSON file to write")
    parser.add_argument("--situations", required=True,
                        help="JSON file whose 'fixtures' give a source {env, seed, random_steps} and optionally a grid")
    args = parser.parse_args(argv)
    with open(args.situations) as f:
        situations = json.load(f)["fixtures"]
    payload = {"meta": {"schema_version": 1, "layout": LAYOUT},
               "fixtures": [fixture(s["source"], s.get("grid")) for s in situations]}
    with open(args.out, "w") as f:
        # Compact, no trailing newline: the layout of the committed file, so a regeneration compares byte for byte.
        json.dump(payload, f, allow_nan=False)
    print(f"{args.out}: {len(payload['fixtures'])} fixtures")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
