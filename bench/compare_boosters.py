"""Accuracy of msme's served valuation model beside LightGBM and XGBoost, trained on the same
rows with the same split.

    pip install lightgbm xgboost pandas   (their native APIs: no scikit-learn needed)
    cargo bench -p msme-models             # writes bench/out/{training_set,ours}.csv, runs this
    python3 bench/compare_boosters.py bench/out

training_set.csv holds one row per comparable deal as msme's models see it: `part` (train,
calibration, test), the features (industry_index and state_index are categories), `offset`,
`target` (= ln(price) - offset) and `price_paise`. Both boosters learn `target` on the train
part with early stopping on the calibration part (what msme uses to choose and calibrate its
model), and all three are measured on the test part in the same way: the price predicted is
exp(prediction + offset). Printed: each one's errors, and msme's error divided by theirs
(the target is at most 1.05).
"""

import sys
from pathlib import Path

import numpy as np
import pandas as pd

THREADS = 2
CATEGORIES = ["industry_index", "state_index"]


def load(out):
    data = pd.read_csv(out / "training_set.csv")
    ours = pd.read_csv(out / "ours.csv").set_index("id")["prediction"]
    features = [c for c in data.columns if c not in ("id", "part", "offset", "target", "price_paise")]
    for c in CATEGORIES:
        data[c] = data[c].fillna(-1).astype(int).astype("category")
    parts = {p: data[data["part"] == p] for p in ("train", "calibration", "test")}
    return parts, features, ours


def metrics(test, prediction):
    log_pred = prediction + test["offset"].to_numpy()
    log_true = np.log(test["price_paise"].to_numpy())
    ape = np.abs(np.exp(log_pred) - np.exp(log_true)) / np.exp(log_true)
    sse = np.sum((log_pred - log_true) ** 2)
    sst = np.sum((log_true - log_true.mean()) ** 2)
    return {
        "mape": ape.mean(),
        "median_ape": np.median(ape),
        "rmse_log": np.sqrt(sse / len(test)),
        "r2_log": 1 - sse / sst,
    }


def lightgbm(parts, features):
    import lightgbm as lgb

    train, cal = parts["train"], parts["calibration"]
    params = {
        "objective": "regression", "learning_rate": 0.03, "num_leaves": 31,
        "num_threads": THREADS, "verbosity": -1,
    }
    dtrain = lgb.Dataset(train[features], train["target"], categorical_feature=CATEGORIES)
    dcal = lgb.Dataset(cal[features], cal["target"], reference=dtrain)
    model = lgb.train(
        params, dtrain, num_boost_round=5000, valid_sets=[dcal],
        callbacks=[lgb.early_stopping(100, verbose=False)],
    )
    return model.predict(parts["test"][features], num_iteration=model.best_iteration)


def xgboost(parts, features):
    import xgboost as xgb

    def matrix(rows):
        return xgb.DMatrix(rows[features], rows["target"], enable_categorical=True)

    params = {
        "objective": "reg:squarederror", "eta": 0.03, "max_depth": 6, "tree_method": "hist",
        "nthread": THREADS,
    }
    dcal = matrix(parts["calibration"])
    model = xgb.train(
        params, matrix(parts["train"]), num_boost_round=5000, evals=[(dcal, "calibration")],
        early_stopping_rounds=100, verbose_eval=False,
    )
    return model.predict(matrix(parts["test"]), iteration_range=(0, model.best_iteration + 1))


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "bench/out")
    parts, features, ours = load(out)
    test = parts["test"]
    results = {"msme": metrics(test, ours.loc[test["id"]].to_numpy())}
    results["lightgbm"] = metrics(test, lightgbm(parts, features))
    results["xgboost"] = metrics(test, xgboost(parts, features))
    print(f"  accuracy on the same split ({len(parts['train'])} train, {len(test)} test deals):")
    for name, m in results.items():
        print(
            f"    {name:<9} MAPE {m['mape']*100:6.2f}%  median APE {m['median_ape']*100:6.2f}%"
            f"  RMSE log {m['rmse_log']:.4f}  R² log {m['r2_log']:.4f}"
        )
    for other in ("lightgbm", "xgboost"):
        ratio = {k: results["msme"][k] / results[other][k] for k in ("mape", "median_ape", "rmse_log")}
        verdict = "within" if max(ratio.values()) <= 1.05 else "NOT within"
        print(
            f"    msme / {other:<8}: MAPE {ratio['mape']:.3f}, median APE {ratio['median_ape']:.3f},"
            f" RMSE log {ratio['rmse_log']:.3f} ({verdict} the 1.05 target)"
        )


if __name__ == "__main__":
    main()
