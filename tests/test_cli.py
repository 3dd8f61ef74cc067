"""CLI: exit codes, filters, report files, list and cite."""

import json
import re

import pytest

from aligntheory import cli
from aligntheory.proofs_check import REGISTRY, Context, Evidence, Source, Verdict, load_all

FAST = "ibn.foster_theorem"


@pytest.fixture
def temp_claims():
    """Register throw-away claims in the library registry for one test, then remove them.

    ``verdict`` is a Verdict or a function ``seed -> Verdict``; ``calls`` collects the seeds run.
    """
    load_all()
    added = []
    calls = []

    def add(cid, verdict, kind="theorem", aliases=(), details=""):
        def check(ctx):
            calls.append((cid, ctx.seed))
            v = verdict(ctx.seed) if callable(verdict) else verdict
            return Evidence(v, predicted=1.0, measured=1.0 if v is Verdict.PASS else 2.0, tolerance=0, why="exact",
                            details=details)

        REGISTRY.claim(id=cid, statement="test claim", source=Source(key="foster1949average"), provenance="M",
                       kind=kind, tolerance="exact", rice={"E"}, stage="backward:governance",
                       aliases=aliases)(check)
        added.append((cid, tuple(aliases)))

    add.calls = calls
    yield add
    for cid, aliases in added:
        REGISTRY._claims.pop(cid, None)
        for a in aliases:
            REGISTRY._aliases.pop(a, None)


def test_verify_passing_claim_writes_reports(tmp_path, capsys):
    out = tmp_path / "rep"
    code = cli.main(["verify", "--claim", FAST, "--out", str(out)])
    assert code == 0
    for name in ("report.md", "report.html", "evidence.json"):
        assert (out / name).is_file()
    data = json.loads((out / "evidence.json").read_text())
    assert [c["claim_id"] for c in data["claims"]] == [FAST]
    assert data["claims"][0]["verdict"] == "PASS"
    assert data["counts"] == {"PASS": 1, "FAIL": 0, "CONTRADICTED": 0, "INCONCLUSIVE": 0}
    assert "RICE" in (out / "report.md").read_text()
    out = capsys.readouterr().out
    assert "1 passed, 0 failed, 0 contradicted, 0 inconclusive" in out
    # stdout is not a terminal under pytest: one line per finished claim (id, verdict, seconds)
    assert re.search(rf"^{re.escape(FAST)} PASS \d+\.\ds$", out, re.M), out


def test_verify_embeds_plots(tmp_path):
    out = tmp_path / "rep"
    assert cli.main(["verify", "--claim", "ibn.resistance_le_path_distance", "--out", str(out)]) == 0
    pngs = list(out.glob("*.png"))
    assert pngs and pngs[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "data:image/png;base64," in (out / "report.html").read_text()


def test_verify_exit_status_is_one_on_failure(tmp_path, temp_claims, capsys):
    temp_claims("zz_test.always_fails", Verdict.FAIL)
    temp_claims("zz_test.unsure", Verdict.INCONCLUSIVE, kind="report")
    out = tmp_path / "rep"
    code = cli.main(["verify", "--pillar", "zz_test", "--out", str(out)])
    assert code == 1
    data = json.loads((out / "evidence.json").read_text())
    assert data["counts"] == {"PASS": 0, "FAIL": 1, "CONTRADICTED": 0, "INCONCLUSIVE": 1}
    assert data["rice_stage"]["E"]["backward:governance"] == {"PASS": 0, "FAIL": 1, "CONTRADICTED": 0, "INCONCLUSIVE": 1}
    assert "FAIL zz_test.always_fails" in capsys.readouterr().out


def test_inconclusive_alone_does_not_fail_the_run(tmp_path, temp_claims):
    temp_claims("zz_test.unsure_only", Verdict.INCONCLUSIVE, kind="report")
    assert cli.main(["verify", "--claim", "zz_test.unsure_only", "--out", str(tmp_path)]) == 0


def test_rice_and_stage_filters(tmp_path, temp_claims):
    temp_claims("zz_test.gov", Verdict.PASS)
    code = cli.main(["verify", "--pillar", "zz_test", "--rice", "E", "--stage", "backward", "--out", str(tmp_path)])
    assert code == 0
    ids = [c["claim_id"] for c in json.loads((tmp_path / "evidence.json").read_text())["claims"]]
    assert ids == ["zz_test.gov"]
    # a filter that matches nothing is a usage error
    assert cli.main(["verify", "--pillar", "zz_test", "--rice", "I", "--out", str(tmp_path)]) == 2


def test_unknown_claim_is_usage_error(tmp_path, capsys):
    assert cli.main(["verify", "--claim", "ibn.no_such_claim", "--out", str(tmp_path)]) == 2
    assert "ibn.no_such_claim" in capsys.readouterr().err


def test_list_shows_registry(capsys):
    assert cli.main(["list"]) == 0
    text = capsys.readouterr().out
    assert FAST in text and "theorem" in text


def test_cite_prints_bibtex(capsys):
    assert cli.main(["cite", "ibn.bt_mle_variance_is_resistance"]) == 0
    text = capsys.readouterr().out
    assert "@inproceedings{hendrickx2019graph," in text and "@inproceedings{qiu2024reward," in text


def test_console_script_entry_point():
    import importlib.metadata as md

    eps = [e for e in md.entry_points(group="console_scripts") if e.name == "aligntheory"]
    assert eps and eps[0].value == "aligntheory.cli:main"


# ---------------------------------------------------------------------------------------------
# CONTRADICTED, seeds, --out checked first, usage errors


def test_contradicted_is_counted_explained_and_does_not_fail_the_run(tmp_path, temp_claims, capsys):
    temp_claims("zz_test.contra", Verdict.CONTRADICTED, kind="empirical",
                details="measured 0.2 vs predicted 2.4: 22 standard errors apart (se 0.1)")
    temp_claims("zz_test.fine", Verdict.PASS)
    out = tmp_path / "rep"
    assert cli.main(["verify", "--pillar", "zz_test", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "1 passed, 0 failed, 1 contradicted, 0 inconclusive" in text
    assert "CONTRADICTED zz_test.contra: measured 0.2 vs predicted 2.4" in text
    data = json.loads((out / "evidence.json").read_text())
    assert data["counts"] == {"PASS": 1, "FAIL": 0, "CONTRADICTED": 1, "INCONCLUSIVE": 0}
    assert data["rice_stage"]["E"]["backward:governance"] == {"PASS": 1, "FAIL": 0, "CONTRADICTED": 1,
                                                             "INCONCLUSIVE": 0}
    rec = {c["claim_id"]: c for c in data["claims"]}["zz_test.contra"]
    assert rec["verdict"] == "CONTRADICTED" and rec["standard_errors"] == 22.0
    md = (out / "report.md").read_text()
    section = md[md.index("## Contradicted claims"):]
    row = next(line for line in section.splitlines() if line.startswith("| zz\\_test.contra"))
    assert "| 1 | 2 | 22 |" in row  # predicted, measured, standard errors apart
    html_text = (out / "report.html").read_text()
    assert "Contradicted claims" in html_text and "#8250df" in html_text


def test_seeds_run_every_seed_and_report_pass_rates(tmp_path, temp_claims, capsys):
    temp_claims("zz_test.flaky", lambda seed: Verdict.FAIL if seed == 3 else Verdict.PASS)
    temp_claims("zz_test.steady", Verdict.PASS)
    out = tmp_path / "rep"
    assert cli.main(["verify", "--pillar", "zz_test", "--seeds", "0-2,3,5", "--out", str(out)]) == 1
    assert sorted(s for cid, s in temp_claims.calls if cid == "zz_test.flaky") == [0, 1, 2, 3, 5]
    data = json.loads((out / "evidence.json").read_text())
    rates = data["pass_rates"]
    assert rates["zz_test.flaky"]["runs"] == 5 and rates["zz_test.flaky"]["FAIL"] == 1
    assert rates["zz_test.flaky"]["seeds"]["FAIL"] == [3] and rates["zz_test.flaky"]["pass_rate"] == 0.8
    assert rates["zz_test.steady"]["pass_rate"] == 1.0
    assert data["counts"]["PASS"] == 9 and data["counts"]["FAIL"] == 1
    text = capsys.readouterr().out
    assert "zz_test.flaky seed 3 FAIL" in text and "pass rates over 5 seeds" in text
    assert "Pass rates over seeds" in (out / "report.md").read_text()
    # all seeds passing: exit 0
    assert cli.main(["verify", "--claim", "zz_test.steady", "--seeds", "0,1", "--out", str(out)]) == 0


@pytest.mark.parametrize("spec", ["", "a-b", "3-1", "-1", "1,,2", "0-20000"])
def test_bad_seed_lists_are_usage_errors(tmp_path, temp_claims, capsys, spec):
    temp_claims("zz_test.never", Verdict.PASS)
    assert cli.main(["verify", "--claim", "zz_test.never", "--seeds", spec, "--out", str(tmp_path)]) == 2
    assert "seeds" in capsys.readouterr().err and not temp_claims.calls


def test_parse_seeds():
    assert cli.parse_seeds("0-19") == list(range(20))
    assert cli.parse_seeds("0,3,5-7") == [0, 3, 5, 6, 7]
    assert cli.parse_seeds(" 4 , 2-3,4") == [4, 2, 3]


@pytest.mark.parametrize("bad", ["/proc/nope", "FILE/sub"])
def test_unwritable_out_is_one_line_and_checked_before_any_claim(tmp_path, temp_claims, capsys, bad):
    temp_claims("zz_test.never_runs", Verdict.PASS)
    afile = tmp_path / "afile"
    afile.write_text("x")
    out = bad.replace("FILE", str(afile))
    assert cli.main(["verify", "--claim", "zz_test.never_runs", "--out", out]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("aligntheory: error:") and "Traceback" not in err
    assert not temp_claims.calls  # nothing ran


def test_unknown_pillar_lists_valid_ones_with_did_you_mean(tmp_path, capsys):
    assert cli.main(["verify", "--pillar", "ibm", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "did you mean ibn?" in err and "social_choice" in err and "elasticity" in err


def test_unknown_claim_lists_the_claims_of_its_pillar(tmp_path, capsys):
    assert cli.main(["verify", "--claim", "ibn.foster_theorm", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "did you mean ibn.foster_theorem?" in err and "ibn.resistance_le_path_distance" in err
    assert cli.main(["cite", "nopillar.x"]) == 2
    assert "pillars: " in capsys.readouterr().err


def test_cite_and_verify_accept_former_ids(tmp_path, temp_claims, capsys):
    temp_claims("zz_test.renamed", Verdict.PASS, aliases=("zz_test.old_name",))
    assert cli.main(["cite", "zz_test.old_name"]) == 0
    assert "@incollection{foster1949average," in capsys.readouterr().out
    assert cli.main(["verify", "--claim", "zz_test.old_name", "--out", str(tmp_path)]) == 0
    ids = [c["claim_id"] for c in json.loads((tmp_path / "evidence.json").read_text())["claims"]]
    assert ids == ["zz_test.renamed"]


def test_list_json(capsys):
    assert cli.main(["list", "--json", "--pillar", "ibn"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert FAST in {c["id"] for c in data} and {c["pillar"] for c in data} == {"ibn"}
    assert {"id", "kind", "provenance", "rice", "stage", "statement", "aliases"} <= set(data[0])


def test_list_is_sized_to_the_terminal(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "70")
    assert cli.main(["list", "--pillar", "ibn"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert max(len(line) for line in lines) <= 70


def test_list_coverage_reaches_the_functions_a_claim_calls(tmp_path, capsys):
    assert cli.main(["list", "--coverage", "--json", "--claim", FAST, "--out", str(tmp_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    reached = data["per_claim"][FAST]
    # ibn.foster_theorem measures the resistance sum with the theory layer's effective_resistance
    assert any(n.endswith(".effective_resistance") or n.endswith(".foster_sum") for n in reached), reached
    assert set(reached) <= set(data["public"])
    assert set(data["unreached"]) == set(data["public"]) - set(reached)
    assert json.loads((tmp_path / "coverage.json").read_text()) == data


def test_tracer_counts_a_jitted_kernel_in_every_claim_that_calls_it():
    """A jitted function is traced once by JAX and then cached; coverage clears the caches per claim."""
    import jax
    import jax.numpy as jnp

    from aligntheory.proofs_check import Registry
    from aligntheory.proofs_check import _coverage as cov

    @jax.jit
    def kernel(x):
        return jnp.sum(x * x)

    def plain(x):
        return x + 1

    reg = Registry()
    for cid in ("demo.a", "demo.b"):
        reg.claim(id=cid, statement="s", source=Source(key="foster1949average"), provenance="M", kind="theorem",
                  tolerance="exact", rice={"R"}, stage="backward:assurance")(
            lambda ctx: Evidence(Verdict.of(float(kernel(jnp.arange(3.0))) == 5.0)))
    reg.claim(id="demo.c", statement="s", source=Source(key="foster1949average"), provenance="M", kind="theorem",
              tolerance="exact", rice={"R"}, stage="backward:assurance")(
        lambda ctx: Evidence(Verdict.of(plain(1) == 2)))
    names = {"demo.kernel": kernel, "demo.plain": plain, "demo.unused": len}
    codes = cov._code_map(names)
    per = {}
    for c in reg:
        cov._clear_caches(names.values())
        with cov._Tracer(codes) as tr:
            assert c.run(Context()).verdict is Verdict.PASS
        per[c.id] = tr.hits
    assert per == {"demo.a": {"demo.kernel"}, "demo.b": {"demo.kernel"}, "demo.c": {"demo.plain"}}


def test_device_without_backend_is_a_usage_error(tmp_path):
    """--device gpu on a machine without a GPU backend: one line, exit 2 (fresh process: JAX platforms are global)."""
    import subprocess
    import sys

    import jax

    try:
        has_gpu = bool(jax.devices("gpu"))
    except RuntimeError:
        has_gpu = False
    out = subprocess.run([sys.executable, "-m", "aligntheory.cli", "verify", "--device", "gpu", "--claim", FAST,
                          "--out", str(tmp_path)], capture_output=True, text=True, timeout=300)
    if has_gpu:
        assert out.returncode == 0, out.stderr
    else:
        assert out.returncode == 2, out.stderr
        assert out.stderr.startswith("aligntheory: error: device:") and out.stderr.count("\n") == 1, out.stderr


@pytest.mark.parametrize("argv", [["arena", "--help"], ["safety", "multiplier", "--help"]])
def test_analysis_subcommands_are_wired(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(argv)
    assert exc.value.code == 0
    assert "usage: aligntheory " + argv[0] in capsys.readouterr().out


def test_arena_runs_through_the_cli(tmp_path, capsys):
    from aligntheory.analysis.arena import EXAMPLE_BATTLES_PATH

    assert cli.main(["arena", str(EXAMPLE_BATTLES_PATH), "--bootstrap", "20", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "leaderboard.json").is_file()
    assert cli.main(["arena", str(tmp_path / "missing.jsonl")]) == 2
    err = capsys.readouterr().err
    assert "missing.jsonl" in err and err.count("\n") == 1 and "Traceback" not in err


# ---------------------------------------------------------------------------------------------
# Missing extras (the subprocess version, with the packages really hidden, is tests/test_slim_core.py)


@pytest.mark.parametrize("argv", [["verify", "--claim", FAST], ["list", "--coverage", "--claim", FAST]])
def test_commands_that_run_claims_name_the_verify_extra(tmp_path, capsys, monkeypatch, argv):
    monkeypatch.setattr(cli, "missing", lambda extra: ["jax", "rich"] if extra == "verify" else [])
    assert cli.main([*argv, "--out", str(tmp_path / "rep")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "pip install 'aligntheory[verify]'" in err[0] and "jax, rich" in err[0]
    assert not (tmp_path / "rep").exists()  # refused before any work


def test_list_without_rich_prints_a_plain_table_sized_to_the_terminal(capsys, monkeypatch):
    monkeypatch.setattr(cli, "available", lambda name: name != "rich")
    monkeypatch.setenv("COLUMNS", "90")
    assert cli.main(["list", "--pillar", "ibn"]) == 0
    lines = capsys.readouterr().out.splitlines()
    n = len(load_all().select(pillars=["ibn"]))
    assert lines[0] == f"{n} registered claims"
    assert "    pillar: ibn | kind: " in lines[2]  # too narrow for columns: one block per claim
    assert FAST in lines  # ids never folded
    assert max(len(line) for line in lines) <= 90
    monkeypatch.setenv("COLUMNS", "200")
    assert cli.main(["list", "--pillar", "ibn"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split() == ["id", "pillar", "kind", "tag", "rice", "stage", "statement"]
    assert any(line.startswith(FAST + " ") for line in lines)
    assert max(len(line) for line in lines) <= 200


def test_an_optional_package_missing_in_a_subcommand_is_one_line(capsys, monkeypatch):
    def run(args):
        raise ModuleNotFoundError("No module named 'matplotlib'", name="matplotlib")

    monkeypatch.setattr(cli, "_cmd_cite", run)
    assert cli.main(["cite", FAST]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["aligntheory: error: matplotlib is not installed: python -m pip install 'aligntheory[verify]'"]


def test_a_broken_import_of_our_own_is_not_disguised(monkeypatch):
    def run(args):
        raise ModuleNotFoundError("No module named 'aligntheory.nope'", name="aligntheory.nope")

    monkeypatch.setattr(cli, "_cmd_cite", run)
    with pytest.raises(ModuleNotFoundError):
        cli.main(["cite", FAST])


def test_seeds_run_a_claim_that_reads_no_seed_once(tmp_path, temp_claims, capsys):
    """A claim whose check never reads its seed is the same computation at every seed: one run, labelled."""
    from aligntheory.proofs_check import REGISTRY as R

    temp_claims("zz_test.reads", Verdict.PASS)  # the fixture's check reads ctx.seed
    calls = []

    def fixed(ctx):
        calls.append(ctx.tier)
        return Evidence(Verdict.PASS, predicted=1.0, measured=1.0, tolerance=0, why="exact")

    R.claim(id="zz_test.fixed", statement="test claim", source=Source(key="foster1949average"), provenance="M",
            kind="theorem", tolerance="exact", rice={"E"}, stage="backward:governance")(fixed)
    try:
        out = tmp_path / "rep"
        assert cli.main(["verify", "--pillar", "zz_test", "--seeds", "0-3", "--out", str(out)]) == 0
        assert calls == ["quick"]
        assert sorted(s for cid, s in temp_claims.calls if cid == "zz_test.reads") == [0, 1, 2, 3]
        rates = json.loads((out / "evidence.json").read_text())["pass_rates"]
        assert rates["zz_test.fixed"]["runs"] == 1 and rates["zz_test.reads"]["runs"] == 4
        text = capsys.readouterr().out
        assert "1 of 2 claims read no seed" in text and "1 claim(s) read no seed and ran once" in text
    finally:
        R._claims.pop("zz_test.fixed", None)
