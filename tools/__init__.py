"""Developer tools of the repository (not part of the installed ``aligntheory`` package).

``python -m tools.mutate`` -- mutation testing of the claims and tests (see ``docs/mutation.md``).
"""
