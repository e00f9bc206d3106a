import pytest

from huiyin.nlp.classifier import MODEL_VERSION, Model, ModelLoadError, evaluate, train
from huiyin.nlp.tests.synth import corpus


@pytest.fixture(scope="module")
def model_and_test():
    rows = corpus(40, seed=1)
    test = corpus(15, seed=2)
    model = train([(t, b) for t, b, _ in rows], [c for _, _, c in rows], min_df=1)
    return model, test


def test_reaches_accuracy_on_synthetic_corpus(model_and_test):
    model, test = model_and_test
    report = evaluate(model, test)
    assert report.accuracy >= 0.9
    assert report.macro_f1 >= 0.9
    assert {c.label for c in report.per_class} == {"wages", "canteen", "safety"}
    assert report.ms_per_message > 0
    assert model.version == MODEL_VERSION and model.info["n_train"] > 0


def test_prediction_has_reasons_confidence_and_alternatives(model_and_test):
    model, _ = model_and_test
    p = model.predict("食堂饭菜太贵", "职工反映食堂伙食差，餐补不够")
    assert p.label == "canteen"
    assert 0.34 < p.confidence <= 1.0
    assert p.reasons and any(t in ("食堂", "饭菜", "伙食", "餐补") for t, _ in p.reasons)
    assert [a for a, _ in p.alternatives] and all(a != "canteen" for a, _ in p.alternatives)
    assert p.as_dict()["label"] == "canteen"
    assert model.predict("", "").confidence == 0.0


def test_an_enterprise_with_two_categories_can_train():
    """A binary ridge classifier gives its weights as one flat row: training on two categories failed with
    "all the input arrays must have same number of dimensions"."""
    rows = [("食堂饭菜差", f"食堂伙食差，第{i}次反映。") for i in range(6)]
    rows += [("加班费拖欠", f"拖欠加班费，第{i}次反映。") for i in range(6)]
    model = train(rows, ["canteen"] * 6 + ["wages"] * 6, min_df=1)
    assert model.predict("食堂", "伙食太差").label == "canteen"
    assert model.predict("加班费", "请补发加班费").label == "wages"


def test_reasons_are_whole_words_about_the_matter():
    """Found in a walk-through: the reasons shown to the person confirming a suggestion held character n-grams
    that are no word ("望公" of 希望公司, "会保险", "费未") and words of the petition's history ("至今", "到底").
    Here "望公" and "至今" belong to the canteen letters only, so they weigh towards that category."""
    canteen = [("食堂饭菜差", f"希望公司改善食堂伙食，至今没有变化，第{i}次反映。") for i in range(12)]
    wages = [("加班费拖欠", f"公司拖欠加班费，职工希望尽快补发，第{i}次反映。") for i in range(12)]
    rows = canteen + wages
    model = train(rows, ["canteen"] * 12 + ["wages"] * 12, min_df=1, calibrate=False)
    p = model.predict("食堂饭菜差", "希望公司改善食堂伙食，至今没有变化。")
    terms = [t for t, _ in p.reasons]
    assert p.label == "canteen" and "食堂" in terms
    assert all(t in model.word_vec.vocabulary_ for t in terms)  # whole words, never a fragment
    assert "至今" not in terms


def test_save_load_signed_and_confined(model_and_test, tmp_path):
    model, _ = model_and_test
    path = tmp_path / "models" / "m.bin"
    model.save(path, key="secret")
    loaded = Model.load(path, model_dir=tmp_path / "models", key="secret")
    assert loaded.predict("工资拖欠", "").label == model.predict("工资拖欠", "").label
    with pytest.raises(ModelLoadError):
        Model.load(path, model_dir=tmp_path / "elsewhere", key="secret")
    with pytest.raises(ModelLoadError):
        Model.load(path, key="wrong")
    data = bytearray(path.read_bytes())
    data[-5] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ModelLoadError):
        Model.load(path, key="secret")
    bogus = tmp_path / "models" / "x.bin"
    bogus.write_bytes(b"not a model")
    with pytest.raises(ModelLoadError):
        Model.load(bogus)


def test_train_rejects_bad_input():
    with pytest.raises(ValueError):
        train([("a", "b")], ["x", "y"])
    with pytest.raises(ValueError):
        train([("工资", ""), ("欠薪", "")], ["x", "x"])
