"""Side-by-side benchmarks against the anchor libraries (run ``python -m benchmarks``).

Each pillar module ``benchmarks/<pillar>.py`` defines ``run(h: Harness) -> None`` that, for every
case, checks agreement between our code and the anchor on the same input first and then times both
in the same process with :meth:`Harness.compare`.
"""
