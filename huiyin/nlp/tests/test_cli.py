import io

import pytest

from huiyin.nlp.cli import CsvError, clusters_csv, evaluate_csv, main, read_labelled
from huiyin.nlp.tests.synth import corpus


def _write(path, rows, header=("id", "title", "body", "category"), bom=False):
    import csv

    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for i, r in enumerate(rows):
            w.writerow([f"x{i}", *r])


def test_evaluate_csv_prints_report_with_last_two_lines(tmp_path):
    _write(tmp_path / "train.csv", corpus(30, seed=4), bom=True)
    _write(tmp_path / "dev.csv", corpus(10, seed=5))
    out = io.StringIO()
    f1 = evaluate_csv(tmp_path / "train.csv", tmp_path / "dev.csv", out=out)
    lines = out.getvalue().strip().splitlines()
    assert lines[-2] == f"macro_f1={f1:.4f}"
    assert lines[-1].startswith("ms_per_message=") and float(lines[-1].split("=")[1]) > 0
    assert any(line.startswith("wages") for line in lines)
    assert f1 >= 0.8


def test_bad_csv_gives_clear_error(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(CsvError, match="missing column"):
        read_labelled(bad)
    (tmp_path / "gbk.csv").write_bytes("id,title,body,category\n1,工资,,x\n".encode("gbk"))
    with pytest.raises(CsvError, match="UTF-8"):
        read_labelled(tmp_path / "gbk.csv")
    with pytest.raises(CsvError, match="cannot read"):
        read_labelled(tmp_path / "missing.csv")
    assert main(["evaluate", str(bad), str(bad)]) == 2
    assert "error:" in capsys.readouterr().err


def test_clusters_csv_writes_every_id(tmp_path):
    rows = [(f"幸福小区电梯故障停运{i}", "物业不维修电梯故障停运，幸福小区居民出行难", "") for i in range(4)]
    rows += [(f"标题{i}", f"内容{chr(0x4E00 + 7 * i)}{chr(0x4E80 + 5 * i)}", "") for i in range(6)]
    path = tmp_path / "hot.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("id,text,title,detail,time\n")
        for i, (t, d, _) in enumerate(rows):
            fh.write(f"{i},{t}{d},{t},{d},2024-01-0{1 + i % 9} 10:00:00\n")
    out = io.StringIO()
    clusters_csv(path, tmp_path / "out.csv", out=out)
    written = (tmp_path / "out.csv").read_text(encoding="utf-8").strip().splitlines()
    assert written[0] == "id,cluster" and len(written) == 11
    assign = dict(line.split(",") for line in written[1:])
    assert len({assign[str(i)] for i in range(4)}) == 1
    assert "size=4" in out.getvalue()
