"""Regenerate ``example_preferences.jsonl`` deterministically (no downloads): ``python make_example_preferences.py``.

Eight hand-written prompts with hand-written candidate responses and a hidden quality score per
response; comparisons are drawn from the Bradley--Terry model (beta = 1) with a fixed seed. Prompts
0-3 get several responses compared along a spanning tree plus extra pairs (tree-like); prompts
4-7 get one pair each (chain-like). Two records repeat an earlier comparison verbatim, and every
response of prompts 0-3 appears in several records (identical responses are one node).
"""

import json
from pathlib import Path

import numpy as np

PROMPTS = [
    ("How do I reverse a list in Python?",
     [("Use reversed(xs) or xs[::-1]; xs.reverse() reverses in place.", 2.0),
      ("Call xs.reverse(), which returns None and modifies the list.", 1.2),
      ("Write a loop that pops from the end into a new list.", 0.1),
      ("Lists cannot be reversed in Python.", -2.0)]),
    ("Summarise the causes of the French Revolution in one sentence.",
     [("Fiscal crisis, food prices and Enlightenment ideas undermined an absolute monarchy.", 1.8),
      ("The king was unpopular.", -0.3),
      ("It was caused by Napoleon.", -1.5),
      ("Debt from wars, bad harvests and inequality between the estates led to revolt.", 1.5)]),
    ("What is the boiling point of water at sea level?",
     [("100 degrees Celsius (212 F) at one standard atmosphere.", 1.9),
      ("About 100 C.", 1.0),
      ("90 degrees Celsius.", -1.8)]),
    ("Give me a haiku about autumn.",
     [("Crisp leaves drift and fall / the maple lets go of red / cold wind keeps the rest", 1.2),
      ("Autumn is a season after summer.", -1.0),
      ("Leaves fall down / it is cold / autumn", 0.0),
      ("Golden light grows thin / geese write letters on the sky / the year exhales slow", 1.6),
      ("I cannot write poems.", -2.2)]),
    ("Translate 'good morning' into Spanish.",
     [("Buenos dias.", 1.5), ("Buenas noches.", -1.2)]),
    ("Is 91 a prime number?",
     [("No: 91 = 7 x 13.", 2.0), ("Yes, 91 is prime.", -2.0)]),
    ("Suggest a name for a grey cat.",
     [("Ash, Smokey or Pebble.", 0.8), ("Cat.", -0.9)]),
    ("What does HTTP status 404 mean?",
     [("Not Found: the server cannot find the requested resource.", 1.7),
      ("The server is on fire.", -1.6)]),
]


def main(path: Path = Path(__file__).with_name("example_preferences.jsonl")) -> None:
    rng = np.random.default_rng(20261125)
    recs = []
    for pi, (prompt, responses) in enumerate(PROMPTS):
        k = len(responses)
        if k == 2:
            pairs = [(0, 1)]
        else:
            pairs = [(i, i + 1) for i in range(k - 1)] + [(0, k - 1), (0, 2)]
            pairs = pairs * 2  # two labels per compared pair
        for a, b in pairs:
            (ya, ra), (yb, rb) = responses[a], responses[b]
            a_wins = rng.random() < 1.0 / (1.0 + np.exp(-(ra - rb)))
            chosen, rejected = (ya, yb) if a_wins else (yb, ya)
            recs.append({"prompt": prompt, "chosen": chosen, "rejected": rejected})
    recs.append(dict(recs[0]))
    recs.append(dict(recs[5]))
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")


if __name__ == "__main__":
    main()
