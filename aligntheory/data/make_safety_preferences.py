"""Regenerate ``example_safety_preferences.jsonl`` deterministically (no downloads): ``python make_safety_preferences.py``.

A small synthetic file in the PKU-SafeRLHF format (issue 15 item 1). It contains NO harmful text:
prompts and responses are placeholders ("prompt 3", "prompt 3 / response b"). Each response gets a
hidden helpfulness score and a hidden cost; its safety flag, harm categories and severity follow the
cost, and the two preference ids are drawn from Bradley--Terry models (seed 15). Some prompts carry
several pairs, so responses repeat and the fit has shared items.
"""

import json
from pathlib import Path

import numpy as np

CATEGORIES = ["Endangering National Security", "Insulting Behavior", "Discriminatory Behavior",
              "Endangering Public Health", "Copyright Issues", "Violence", "Drugs", "Privacy Violation",
              "Economic Crime", "Mental Manipulation", "Human Trafficking", "Physical Harm", "Sexual Content",
              "Cybercrime", "Disrupting Public Order", "Environmental Damage", "Psychological Harm",
              "White-Collar Crime", "Animal Abuse"]


def make(seed: int = 15, n_prompts: int = 40) -> list[dict]:
    rng = np.random.default_rng(seed)
    out = []
    for p in range(n_prompts):
        n_resp = 2 if p % 3 else 4
        reward = rng.normal(size=n_resp)
        cost = rng.normal(-0.5, 1.5, size=n_resp) + 0.4 * reward
        labels = []
        for c in cost:
            unsafe = bool(c > 0)
            sev = 0 if not unsafe else int(min(3, 1 + np.floor(c)))
            flags = {name: False for name in CATEGORIES}
            if unsafe:
                for k in rng.choice(len(CATEGORIES), size=1 + int(rng.integers(0, 2)), replace=False):
                    flags[CATEGORIES[k]] = True
            labels.append((unsafe, flags, sev))
        pairs = [(0, 1)] if n_resp == 2 else [(0, 1), (1, 2), (2, 3), (0, 3)]
        for i, j in pairs:
            better = 0 if rng.random() < 1 / (1 + np.exp(-(reward[i] - reward[j]))) else 1
            safer = 0 if rng.random() < 1 / (1 + np.exp(-(cost[j] - cost[i]))) else 1
            out.append({
                "prompt": f"prompt {p}",
                "response_0": f"prompt {p} / response {'abcd'[i]}",
                "response_1": f"prompt {p} / response {'abcd'[j]}",
                "prompt_source": "synthetic", "response_0_source": "synthetic", "response_1_source": "synthetic",
                "is_response_0_safe": not labels[i][0], "is_response_1_safe": not labels[j][0],
                "response_0_harm_category": labels[i][1], "response_1_harm_category": labels[j][1],
                "response_0_severity_level": labels[i][2], "response_1_severity_level": labels[j][2],
                "better_response_id": better, "safer_response_id": safer,
            })
    return out


if __name__ == "__main__":
    path = Path(__file__).with_name("example_safety_preferences.jsonl")
    path.write_text("".join(json.dumps(r) + "\n" for r in make()))
    print(f"wrote {path}")
