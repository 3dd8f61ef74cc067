"""The documentation site builds in strict mode, runs its gallery, and shows what it promises.

One strict build (``python -m mkdocs build --strict``) of a copy of the site's sources in a
temporary directory: the copy keeps the gallery's generated pages out of the checkout and makes
mkdocs-gallery run every example (no cache from an earlier build). A warning (a broken link, a
docstring mkdocstrings cannot parse) or an example that raises fails the build, and then this
module. The pages are then checked for text that only a working build contains: outputs printed
by the examples, rendered docstrings, the included changelog. The interactive snippets of the
pillar and verification pages run as doctests.
"""

from __future__ import annotations

import doctest
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
BUILD_TIMEOUT_S = 900  # about 40 s on a quiet laptop; generous for a loaded CI runner
GALLERY = ("plot_1_bound_for_a_paper", "plot_2_preference_dataset", "plot_3_leaderboard",
           "plot_4_property_testing", "plot_5_gpu_benchmark")
SNIPPET_PAGES = ("getting-started.md", "pillars/ibn.md", "pillars/social_choice.md", "pillars/elasticity.md",
                 "pillars/progress_safety.md", "verification.md")


def _copy_sources(dst: Path) -> None:
    shutil.copy2(ROOT / "mkdocs.yml", dst / "mkdocs.yml")
    shutil.copy2(ROOT / "CHANGELOG.md", dst / "CHANGELOG.md")
    shutil.copytree(ROOT / "examples", dst / "examples")
    shutil.copytree(ROOT / "docs", dst / "docs",
                    ignore=shutil.ignore_patterns("generated", "mutation-report", "__pycache__"))
    # mkdocstrings reads the package from `paths: [.]`; the examples import it from the working
    # directory (python -m puts it first on sys.path): both see this checkout.
    (dst / "aligntheory").symlink_to(ROOT / "aligntheory", target_is_directory=True)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("docs-src")
    _copy_sources(src)
    out = src / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "MPLBACKEND": "Agg", "PYTHONHASHSEED": "0"}
    env.pop("PYTHONPATH", None)
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
                          cwd=src, env=env, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S)
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"mkdocs build --strict failed (exit {proc.returncode}):\n{log[-6000:]}"
    warnings = [line for line in log.splitlines() if line.startswith("WARNING")]
    assert not warnings, "\n".join(warnings)
    return out


def _page(site: Path, rel: str) -> str:
    path = site / rel / "index.html"
    assert path.is_file(), f"page {rel!r} was not built"
    return path.read_text(encoding="utf-8")


def _text(html: str) -> str:
    """Visible text, roughly: tags removed (outputs are highlighted token by token), entities decoded."""
    t = re.sub(r"<[^>]+>", "", html)
    for a, b in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&#39;", "'"), ("&amp;", "&")):
        t = t.replace(a, b)
    return re.sub(r"\s+", " ", t)


def test_config_is_strict_and_runs_the_gallery():
    cfg = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    assert cfg["strict"] == "true"
    gallery = next(p["gallery"] for p in cfg["plugins"] if isinstance(p, dict) and "gallery" in p)
    assert gallery["examples_dirs"] == "examples"
    assert gallery["abort_on_example_error"] == "true" and gallery["run_stale_examples"] == "true"
    assert sorted(p.stem for p in (ROOT / "examples").glob("plot_*.py")) == list(GALLERY)


def test_examples_are_not_collected_by_pytest():
    ns: dict = {}
    exec(compile((ROOT / "conftest.py").read_text(), "conftest.py", "exec"), ns)
    assert "examples" in ns["collect_ignore"] and "docs" in ns["collect_ignore"]


def test_gallery_pages_show_the_outputs_of_their_runs(site):
    index = _text(_page(site, "generated/gallery"))
    for title in ("A bound for a paper", "A preference dataset analysed", "A leaderboard with intervals",
                  "Property-testing your own aggregation rule or estimator", "A GPU benchmark"):
        assert title in index, title
    bound = _text(_page(site, "generated/gallery/plot_1_bound_for_a_paper"))
    assert "upper bound on sample size N for Delta_S <= eps: 1661 [M]" in bound
    assert r"\frac{\log{\left(F \right)} + \log{\left(\frac{2}{\delta} \right)}}{2 \epsilon^{2}}" in bound
    assert "finite candidate space" in bound and "[R] qiu2024reward" in bound
    prefs = _text(_page(site, "generated/gallery/plot_2_preference_dataset"))
    assert "46 records, 24 responses, 8 prompts" in prefs
    board = _text(_page(site, "generated/gallery/plot_3_leaderboard"))
    assert "2400 battles (319 ties) between 10 models" in board and "next battles:" in board
    props = _text(_page(site, "generated/gallery/plot_4_property_testing"))
    assert "my_borda agrees with aligntheory's borda_winners on 200 random profiles" in props
    assert "my_bt agrees with aligntheory.numerics.fit_bradley_terry" in props
    gpu = _text(_page(site, "generated/gallery/plot_5_gpu_benchmark"))
    assert "JAX device:" in gpu and "max relative difference" in gpu
    for name in GALLERY:  # every example that plots produced its figure
        if name == "plot_4_property_testing":
            continue
        assert list((site / "generated/gallery/images").glob(f"mkd_glr_{name}_001.png")), name


def test_api_pages_render_the_docstrings(site):
    theory = _text(_page(site, "api/theory"))
    for name in ("aligntheory.theory.ibn", "aligntheory.theory.social_choice", "aligntheory.theory.elasticity",
                 "aligntheory.theory.progress", "aligntheory.theory.safety", "finite_class_sample_size",
                 "effective_resistance", "chain_tree_ratio"):
        assert name in theory, name
    assert "reconstruction; the full text was not available to us" in theory
    assert r'<span class="arithmatex">\(\Theta(\ln n/\ln\ln n)\)</span>' in _page(site, "api/theory")
    assert ":func:" not in theory and ":math:" not in theory
    kernels = _text(_page(site, "api/kernels"))
    assert "effective_resistance_dense_batched" in kernels and "aligntheory.kernels.safety_multiplier" in kernels
    assert "fit_bradley_terry" in _text(_page(site, "api/numerics"))
    analysis = _text(_page(site, "api/analysis"))
    assert "analyse_preferences" in analysis and "leaderboard" in analysis and "chain_tree_sweep" in analysis
    assert "Verdict" in _text(_page(site, "api/proofs_check"))
    assert "strict_order_profiles" in _text(_page(site, "api/testing"))
    core = _text(_page(site, "api/core"))
    for name in ("Bound", "raise_or_flag", "MissingDependencyError", "SizeCapError", "configure"):
        assert name in core, name


def test_narrative_pages_and_includes(site):
    for rel in ("getting-started", "pillars", "pillars/ibn", "pillars/social_choice", "pillars/elasticity",
                "pillars/progress_safety", "verification", "mutation", "DESIGN", "ibn_chain_vs_tree"):
        _page(site, rel)
    assert "Keep a Changelog" in _text(_page(site, "changelog"))
    assert "CONTRADICTED" in _text(_page(site, "verification"))


def test_docstring_rst_is_rewritten_as_markdown():
    spec = importlib.util.spec_from_file_location("_griffe_rst", ROOT / "docs" / "_griffe_rst.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert doctest.testmod(mod).failed == 0
    src = "Solve :math:`L x = b` by :func:`~aligntheory.numerics.solve_laplacian`.\n\n" \
          "    .. math:: R_{uv} = (e_u - e_v)^T L^+ (e_u - e_v)\n\n    >>> f(':math:`x`')\n"
    out = mod.rst_to_markdown(src)
    assert out.startswith("Solve $L x = b$ by `solve_laplacian`.")
    assert "    $$\n    R_{uv} = (e_u - e_v)^T L^+ (e_u - e_v)\n    $$" in out
    assert "    >>> f(':math:`x`')" in out  # doctest lines untouched


@pytest.mark.parametrize("page", SNIPPET_PAGES)
def test_page_snippets_run(page):
    result = doctest.testfile(str(ROOT / "docs" / page), module_relative=False,
                              optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    assert result.attempted > 0, f"{page} has no snippets"
    assert result.failed == 0, f"{result.failed} of {result.attempted} snippets of {page} failed (run " \
                               f"python -m doctest -v docs/{page})"
