"""govreport bench: corpus layouts, scoring, external predictions, outputs and exit status."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from govreport.bench import find_gold, run_bench, score_doc, to_dict, to_markdown
from govreport.bench.scoring import same
from govreport.cli import main

SEEDS = Path(__file__).parent / "data" / "seeds"


def test_both_corpus_layouts(tmp_path):
    shutil.copy(SEEDS / "hangu-2019-tabbed.txt", tmp_path / "hangu.txt")
    shutil.copy(SEEDS / "hangu-2019-tabbed.gold.json", tmp_path / "hangu.gold.json")
    folder = tmp_path / "bureau"
    folder.mkdir()
    shutil.copy(SEEDS / "bureau-2019-pipe.txt", folder / "source.txt")
    shutil.copy(SEEDS / "bureau-2019-pipe.gold.json", folder / "gold.json")
    docs = list(find_gold([tmp_path]))
    assert sorted(d.key for d in docs) == ["bureau", "hangu.txt"]
    assert {d.kind for d in docs} == {"txt"}


def test_seeds_score_perfectly():
    result = run_bench([SEEDS])
    assert len(result.docs) == 5 and result.accuracy == 1.0 and result.informative_accuracy == 1.0
    assert result.by_table()["legacy_statistics"].cells == 12
    assert set(result.by(lambda d: d.reader)) == {"tabbed", "pipe", "ocr_text", "vertical"}
    assert result.meta_right() == {"agency": 5, "year": 5, "published": 5}
    assert result.speed()["documents_per_s"] > 0


def test_scoring_counts_blank_and_value():
    gold = json.loads((SEEDS / "hangu-2019-tabbed.gold.json").read_text("utf-8"))
    pred = json.loads(json.dumps(gold))
    pred["review_litigation"]["review"]["upheld"] = 0  # blank in gold: 0 is wrong
    pred["applications"]["new_received"]["total"] = None  # 1 in gold: blank is wrong
    del pred["active_disclosure"]["regulations"]
    s = score_doc("x", "txt", gold, pred)
    assert s.cells - s.right == 2 + 3
    assert s.informative - s.informative_right == 1
    assert {w.cell for w in s.wrong} >= {"review_litigation/review/upheld", "applications/new_received/total"}
    assert same({"value": "160.50", "unit": "万元"}, {"value": "160.5", "unit": "万元"})
    assert not same({"value": "160.5", "unit": "元"}, {"value": "160.5", "unit": "万元"})


def test_predictions_from_another_tool(tmp_path, capsys):
    preds = tmp_path / "preds"
    preds.mkdir()
    for gold in SEEDS.glob("*.gold.json"):
        data = json.loads(gold.read_text("utf-8"))
        if gold.name.startswith("bureau"):
            data["applications"]["new_received"]["total"] = 99
        if not gold.name.startswith("langxia"):
            (preds / (gold.name.replace(".gold.json", ".json"))).write_text(json.dumps(data), "utf-8")
    code = main(["bench", str(SEEDS), "--predictions", str(preds), "--min-accuracy", "0.999",
                 "--json", str(tmp_path / "r.json"), "--markdown", str(tmp_path / "r.md")])
    out = capsys.readouterr().out
    assert code == 1
    assert "applications/new_received/total: expected 0, got 99" in out
    assert "langxia-2019-legacy.txt: no prediction file" in out
    data = json.loads((tmp_path / "r.json").read_text("utf-8"))
    assert data["predictions"] == str(preds)
    assert any(w["cell"] == "applications/new_received/total" for w in data["wrong_cells"])
    assert "| applications |" in (tmp_path / "r.md").read_text("utf-8")


def test_outputs_and_pass(tmp_path, capsys):
    assert main(["bench", str(SEEDS), "--min-accuracy", "1.0"]) == 0
    out = capsys.readouterr().out
    assert "accuracy 100.00%" in out and "input kind" in out and "documents/s" in out
    result = run_bench([SEEDS])
    assert to_dict(result)["by"]["format"]["2019"]["accuracy"] == 1.0
    assert "## Speed" in to_markdown(result)


def test_usage_errors(tmp_path, capsys):
    assert main(["bench"]) == 3
    assert main(["bench", str(tmp_path)]) == 3
    assert main(["bench", "--generate", "2"]) == 3
