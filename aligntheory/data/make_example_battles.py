"""Regenerate ``example_battles.jsonl`` deterministically (no downloads): ``python make_example_battles.py``.

A small synthetic arena in the format of the public battle dumps: 10 fictional models with hidden
strengths (natural scale), 2,400 battles between random pairs drawn more often among the
stronger models (as arenas sample new and popular models more), outcomes from Davidson's tie model
(nu = 0.35) with a style effect: the logit gains 0.4 per unit of ``length_diff`` (response length of
``model_a`` minus ``model_b``, in thousands of tokens, standardised) and some models write longer
answers. About a third of the ties are ``"tie (bothbad)"``. Each battle has a ``judge`` id (60 judges)
for clustered resampling, and a ``language`` column that the leaderboard ignores.
"""

import json
from pathlib import Path

import numpy as np

MODELS = {  # name: (strength, mean extra length)
    "orca-grande-70b": (1.10, 0.6),
    "atlas-chat-v3": (0.95, 0.2),
    "nimbus-large": (0.70, 0.9),
    "kestrel-34b-instruct": (0.40, 0.1),
    "quill-13b": (0.15, 0.4),
    "lumen-8b-chat": (-0.05, -0.2),
    "tern-7b": (-0.35, 0.0),
    "basalt-3b-it": (-0.60, -0.5),
    "mossy-1.5b": (-0.90, -0.3),
    "pebble-0.5b": (-1.40, -0.6),
}
NU = 0.35
STYLE = 0.4
N_BATTLES = 2400
N_JUDGES = 60


def main(path: Path | None = None) -> None:
    path = Path(__file__).with_name("example_battles.jsonl") if path is None else path
    rng = np.random.default_rng(20261206)
    names = list(MODELS)
    s = np.array([MODELS[m][0] for m in names])
    extra = np.array([MODELS[m][1] for m in names])
    weight = np.exp(0.5 * s)
    weight /= weight.sum()
    lines = []
    for _ in range(N_BATTLES):
        a, b = rng.choice(len(names), 2, replace=False, p=weight)
        length_diff = float(np.round(extra[a] - extra[b] + rng.normal(scale=0.7), 3))
        d = s[a] - s[b] + STYLE * length_diff
        z = np.exp(d / 2) + np.exp(-d / 2) + NU
        u = rng.random()
        if u < np.exp(d / 2) / z:
            winner = "model_a"
        elif u < (np.exp(d / 2) + NU) / z:
            winner = "tie (bothbad)" if rng.random() < 0.35 else "tie"
        else:
            winner = "model_b"
        lines.append({"model_a": names[a], "model_b": names[b], "winner": winner,
                      "judge": f"judge-{int(rng.integers(N_JUDGES)):02d}", "length_diff": length_diff,
                      "language": str(rng.choice(["English", "German", "Chinese", "French"], p=[.6, .15, .15, .1]))})
    path.write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")


if __name__ == "__main__":
    main()
