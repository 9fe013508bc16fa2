"""`detector train` on a tiny model and a tiny data set: it learns, calibrates, loads and repeats."""

import json

import numpy as np

import pytest
from safetensors.numpy import load_file
from typer.testing import CliRunner

from conftest import build_tiny_model
from detector.calibration import fit_temperature
from detector.cli import app
from detector.labels import LABELS
from detector.scoring import NLIScorer

runner = CliRunner()
PLACES = ["Kherson", "Lyon", "Manila", "Quito", "Accra", "Oslo", "Perth", "Hanoi", "Tunis", "Lima"]


def tiny_pairs(path):
    rows = []
    for place in PLACES:
        claim = f"The army took {place}."
        rows += [
            {"claim_a": claim, "claim_b": f"Troops captured {place}.", "label": "entailment"},
            {"claim_a": claim, "claim_b": f"The army never took {place}.", "label": "contradiction"},
            {"claim_a": claim, "claim_b": f"It is unclear whether the army took {place}.", "label": "hedge"},
            {"claim_a": claim, "claim_b": "The central bank raised interest rates.", "label": "neutral"},
        ]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return path


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    root = tmp_path_factory.mktemp("train")
    base = build_tiny_model(root / "base", dict(enumerate(LABELS)), init_range=0.1)
    return root, base, tiny_pairs(root / "pairs.jsonl")


def train(root, base, data, name, seed=1):
    output = root / name
    result = runner.invoke(app, ["train", "--data", str(data), "--base", str(base), "--output", str(output),
                                 "--epochs", "6", "--batch-size", "8", "--learning-rate", "2e-3",
                                 "--dev-share", "0.2", "--seed", str(seed)])
    assert result.exit_code == 0, result.output
    return output


def tiny_recipe(folder, data, base, **settings):
    """A recipe on the tiny pairs (copied to ``folder/train.jsonl``) from the tiny base, with ``settings``."""
    (folder / "train.jsonl").write_text(data.read_text())
    return {"files": {"train.jsonl": {}}, "dev_share": 0.2, "epochs": 2, "batch_size": 8, "learning_rate": 2e-3,
            "base_model": str(base), "seed": 1, **settings}


def run_recipe(folder, recipe, output="m", *options):
    """``detector train --recipe`` on ``recipe``, written to ``folder/recipe.json`` (run from ``folder``)."""
    (folder / "recipe.json").write_text(json.dumps(recipe))
    return runner.invoke(app, ["train", "--recipe", "recipe.json", "--output", output, *options])


def test_training_lowers_the_loss_and_writes_a_loadable_model(setup):
    root, base, data = setup
    output = train(root, base, data, "model-a")
    record = json.loads((output / "training.json").read_text())
    assert record["result"]["loss_after"] < record["result"]["loss_before"] - 0.05
    assert record["recipe"]["seed"] == 1 and record["recipe"]["epochs"] == 6
    assert json.loads((output / "calibration.json").read_text())["temperature"] > 0
    scorer = NLIScorer(output, device="cpu")
    assert scorer.predicts_hedge and scorer.temperature == record["result"]["temperature"]
    assert scorer.predict([("The army took Kherson.", "Troops captured Kherson.")])[0].label in LABELS


def test_same_seed_same_weights(setup):
    root, base, data = setup
    first = load_file(str(train(root, base, data, "seed-1-a") / "model.safetensors"))
    second = load_file(str(train(root, base, data, "seed-1-b") / "model.safetensors"))
    assert first.keys() == second.keys()
    assert all((first[k] == second[k]).all() for k in first)


def test_nothing_to_train_on(tmp_path):
    result = runner.invoke(app, ["train", "--output", str(tmp_path / "m")])
    assert result.exit_code == 2 and "nothing to train on" in result.stderr


def test_unknown_training_set_and_test_only_sets_are_refused(tmp_path):
    for name in ("imagenet", "stanford-contradiction", "sick"):
        result = runner.invoke(app, ["train", "--public", name, "--output", str(tmp_path / "m")])
        assert result.exit_code == 2 and "unknown training set" in result.stderr


def test_fit_temperature_recovers_a_known_temperature():
    import numpy as np

    rng = np.random.default_rng(0)
    logits = rng.normal(size=(4000, 4)) * 3
    # Labels drawn from softmax(logits / 2): the best temperature is about 2.
    probs = np.exp(logits / 2) / np.exp(logits / 2).sum(axis=1, keepdims=True)
    gold = np.array([rng.choice(4, p=p) for p in probs])
    assert fit_temperature(logits, gold) == pytest.approx(2.0, rel=0.1)


def test_unknown_precision_is_refused_before_any_data_is_read(tmp_path):
    result = runner.invoke(app, ["train", "--data", str(tmp_path / "absent.jsonl"), "--precision", "fp8",
                                 "--output", str(tmp_path / "m")])
    assert result.exit_code == 2 and "unknown training precision 'fp8'" in result.stderr


def test_fit_temperature_and_offsets_recovers_a_known_prior_shift():
    import numpy as np

    from detector.calibration import fit_temperature_and_offsets

    rng = np.random.default_rng(1)
    logits = rng.normal(size=(6000, 4)) * 3
    true_offsets = np.array([0.0, 1.0, -0.5, 0.5])
    shifted = logits / 2 + true_offsets
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    gold = np.array([rng.choice(4, p=p) for p in probs])
    temperature, offsets = fit_temperature_and_offsets(logits, gold)
    assert temperature == pytest.approx(2.0, rel=0.1)
    assert offsets == pytest.approx(true_offsets, abs=0.15)


def test_scorer_applies_the_shipped_label_offsets(tmp_path):
    folder = build_tiny_model(tmp_path / "m", {0: "contradiction", 1: "entailment", 2: "neutral"}, winner="contradiction")
    scorer = NLIScorer(folder, device="cpu")
    pair = [("The army took the city.", "The army left the city.")]
    assert scorer.predict(pair)[0].label == "contradiction"
    # The winner's logit leads by 5; an offset of 6 on entailment turns the label, by name.
    (folder / "calibration.json").write_text(json.dumps({"temperature": 1.0, "label_offsets": {"entailment": 6.0}}))
    shifted = NLIScorer(folder, device="cpu").predict(pair)[0]
    assert shifted.label == "entailment"
    assert shifted.probs["entailment"] == pytest.approx(np.exp(6) / (np.exp(5) + np.exp(6) + 1), abs=1e-3)


def test_calibrate_fits_on_domain_pairs_and_the_scorer_uses_it(setup, tmp_path):
    import shutil

    root, base, data = setup
    folder = shutil.copytree(train(root, base, data, "to-calibrate"), tmp_path / "m")
    result = runner.invoke(app, ["calibrate", "--model", str(folder), "--data", str(data)])
    assert result.exit_code == 0, result.output
    record = json.loads((folder / "calibration.json").read_text())
    assert record["fitted_on"] == str(data) and set(record["label_offsets"]) == set(LABELS)
    assert record["fit"]["pairs"] == 40 and record["temperature"] > 0 and record["label_offsets"]["contradiction"] == 0
    scorer = NLIScorer(folder, device="cpu")
    assert scorer.temperature == record["temperature"]
    assert list(scorer.label_offsets) == [record["label_offsets"][label] for label in LABELS]


def test_calibrate_refuses_bad_input(tmp_path, setup):
    root, base, data = setup
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"claim_a": "A.", "claim_b": "B.", "label": "maybe"}\n')
    result = runner.invoke(app, ["calibrate", "--model", str(base), "--data", str(bad)])
    assert result.exit_code == 2 and "bad lines" in result.stderr
    result = runner.invoke(app, ["calibrate", "--model", str(tmp_path / "absent"), "--data", str(data)])
    assert result.exit_code == 2 and "not a model folder" in result.stderr


def test_a_recipe_with_dev_files_calibrates_on_them(setup, tmp_path, monkeypatch):
    root, base, data = setup
    monkeypatch.chdir(tmp_path)  # recipe file paths are relative to the working directory
    (tmp_path / "dev.jsonl").write_text(tiny_pairs(tmp_path / "unused.jsonl").read_text())
    result = run_recipe(tmp_path, tiny_recipe(tmp_path, data, base, dev_files=["dev.jsonl"]))
    assert result.exit_code == 0, result.output
    assert "label offsets" in result.output
    calibration = json.loads((tmp_path / "m" / "calibration.json").read_text())
    assert calibration["fitted_on"] == "dev.jsonl" and calibration["fit"]["pairs"] == 40
    record = json.loads((tmp_path / "m" / "training.json").read_text())
    assert record["result"]["domain_calibration"]["temperature"] == calibration["temperature"]


def test_stop_after_epochs_keeps_the_longer_schedule(setup, tmp_path, monkeypatch):
    root, base, data = setup
    monkeypatch.chdir(tmp_path)
    recipe = tiny_recipe(tmp_path, data, base, epochs=3, stop_after_epochs=1)
    result = run_recipe(tmp_path, recipe)
    assert result.exit_code == 0, result.output
    [checkpoint] = (tmp_path / "m-checkpoints").glob("checkpoint-*")
    state = json.loads((checkpoint / "trainer_state.json").read_text())
    assert state["epoch"] == 1 and state["max_steps"] == 3 * state["global_step"]
    assert json.loads((tmp_path / "m" / "training.json").read_text())["recipe"]["stop_after_epochs"] == 1
    first = load_file(str(tmp_path / "m" / "model.safetensors"))

    # Started again, the stopped run is finished from its checkpoint, not trained into epoch 2.
    result = run_recipe(tmp_path, recipe)
    assert result.exit_code == 0, result.output
    assert [path.name for path in (tmp_path / "m-checkpoints").glob("checkpoint-*")] == [checkpoint.name]
    again = load_file(str(tmp_path / "m" / "model.safetensors"))
    assert all((first[k] == again[k]).all() for k in first)

    for bad in (4, 1.5):
        result = run_recipe(tmp_path, {**recipe, "stop_after_epochs": bad}, "m2")
        assert result.exit_code != 0 and "between 1 and epochs (3)" in result.output
        assert "training on" not in result.output  # refused before the mix is built


def test_start_weight_share_averages_the_trained_weights_with_the_start(setup, tmp_path, monkeypatch):
    root, base, data = setup
    monkeypatch.chdir(tmp_path)
    weights = {}
    for name, share in (("trained", 0.0), ("averaged", 0.25)):
        result = run_recipe(tmp_path, tiny_recipe(tmp_path, data, base, start_weight_share=share), name)
        assert result.exit_code == 0, result.output
        weights[name] = load_file(str(tmp_path / name / "model.safetensors"))
    start = load_file(str(base / "model.safetensors"))
    for key in ("classifier.weight", "bert.encoder.layer.0.attention.self.query.weight"):
        trained, averaged = weights["trained"][key].astype(np.float32), weights["averaged"][key].astype(np.float32)
        assert np.abs(trained - start[key]).max() > 2e-3  # training moved it
        np.testing.assert_allclose(averaged, 0.25 * start[key] + 0.75 * trained, atol=3e-4)


@pytest.mark.parametrize("share", [1, -0.1, "half"])
def test_a_start_weight_share_outside_zero_to_one_is_refused(share, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_recipe(tmp_path, {"files": {"train.jsonl": {}}, "start_weight_share": share})
    assert result.exit_code != 0 and "start_weight_share must be a number from 0" in result.output


@pytest.mark.parametrize("share", ["1", "-0.1"])
def test_the_cli_refuses_the_same_start_weight_shares_as_a_recipe(share, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_recipe(tmp_path, {"files": {"train.jsonl": {}}}, "m", "--start-weight-share", share)
    assert result.exit_code != 0 and "start_weight_share must be a number from 0" in result.output


def test_a_run_stopped_mid_epoch_resumes_from_its_last_step_checkpoint(setup, tmp_path, monkeypatch):
    root, base, data = setup
    monkeypatch.chdir(tmp_path)
    recipe = tiny_recipe(tmp_path, data, base, epochs=1, save_steps=2)
    result = run_recipe(tmp_path, recipe)
    assert result.exit_code == 0, result.output
    # 32 training pairs in batches of 8: 4 steps, a checkpoint every 2.
    assert sorted(p.name for p in (tmp_path / "m-checkpoints").glob("checkpoint-*")) == ["checkpoint-2", "checkpoint-4"]
    uninterrupted = load_file(str(tmp_path / "m" / "model.safetensors"))

    # As if the run had been killed after step 3: only the mid-epoch checkpoint is left.
    import shutil
    shutil.rmtree(tmp_path / "m-checkpoints" / "checkpoint-4")
    shutil.rmtree(tmp_path / "m")
    step_2 = (tmp_path / "m-checkpoints" / "checkpoint-2" / "model.safetensors").stat().st_mtime_ns
    result = run_recipe(tmp_path, recipe)
    assert result.exit_code == 0, result.output
    # Resumed, not restarted: step 2 was not trained (nor saved) again.
    assert (tmp_path / "m-checkpoints" / "checkpoint-2" / "model.safetensors").stat().st_mtime_ns == step_2
    state = json.loads((tmp_path / "m-checkpoints" / "checkpoint-4" / "trainer_state.json").read_text())
    assert state["global_step"] == 4
    resumed = load_file(str(tmp_path / "m" / "model.safetensors"))
    assert all(np.allclose(uninterrupted[k], resumed[k], atol=1e-3) for k in uninterrupted)

    result = run_recipe(tmp_path, {**recipe, "save_steps": 0}, "m3")
    assert result.exit_code != 0 and "save_steps" in result.output
