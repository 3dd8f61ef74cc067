"""CLI: exit codes, filters, report files, list and cite."""

import json

import pytest

from aligntheory import cli
from aligntheory.proofs_check import REGISTRY, Evidence, Source, Verdict, load_all

FAST = "ibn.foster_theorem"


@pytest.fixture
def temp_claims():
    """Register throw-away claims in the library registry for one test, then remove them."""
    load_all()
    added = []

    def add(cid, verdict, kind="theorem"):
        REGISTRY.claim(id=cid, statement="test claim", source=Source(key="foster1949average"), provenance="M",
                       kind=kind, tolerance="exact", rice={"E"}, stage="backward:governance")(
            lambda ctx: Evidence(verdict, predicted=1, measured=1 if verdict is Verdict.PASS else 2, tolerance=0,
                                 why="exact"))
        added.append(cid)

    yield add
    for cid in added:
        REGISTRY._claims.pop(cid, None)


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
    assert "1 passed, 0 failed" in capsys.readouterr().out


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
