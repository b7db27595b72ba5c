"""The fitted scorer, shipped as a small JSON file written by bench/fit_scorer.py: a logistic regression that tells
how likely each candidate passage holds the answer, and a second one over the whole candidate list that tells
whether the question is answered by the corpus at all (abstention)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from qa.answer.features import PASSAGE_FEATURES, PASSAGE_MODEL_FEATURES

SCORER_FILE = Path(__file__).with_name("scorer.json")  # fitted on all-MiniLM-L6-v2's candidates and features (minilm)
UNREAD_SCORER_FILE = Path(__file__).with_name("scorer_unread.json")  # fitted with the reader's features left empty
# fitted on other encoders' candidates and features: e5 retrieving with MiniLM reading (e5+minilm, the default), e5 alone
PAIR_SCORER_FILES = (Path(__file__).with_name("scorer_pair.json"), Path(__file__).with_name("scorer_unread_pair.json"))
E5_SCORER_FILES = (Path(__file__).with_name("scorer_e5.json"), Path(__file__).with_name("scorer_unread_e5.json"))


def scorer_files(encoder_name: str) -> tuple[Path, Path]:
    """The scorer files (read, unread) fitted on the features this encoder gives (MiniLM's for any other model: their
    cosines spread like its, and for the tests' stand-in encoder)."""
    from qa.encoders import name_of
    from qa.encoders.e5 import E5

    name = encoder_name.replace("@int8", "")
    if name == name_of("e5+minilm"):
        return PAIR_SCORER_FILES
    return E5_SCORER_FILES if name == E5 else (SCORER_FILE, UNREAD_SCORER_FILE)


UNKNOWN_SHARE = PASSAGE_FEATURES.index("unknown_share")  # the same in every row of a question
# The question-level view of the candidates: the best probabilities, and the best of each match feature.
BEST_OF = ("coverage", "rare_coverage", "all_rare", "name_coverage", "sentence_cos", "sentence_coverage", "bm25", "dense")
QUESTION_FEATURES = ("p_max", "p_second", "p_top3", *(f"max_{f}" for f in BEST_OF), "top_coverage", "top_sentence_cos",
                     "unknown_share", "unknown_names", "terms", "max_phrase", "max_type_found", "top_missing_rare",
                     "min_missing_rare", "typed", "top_phrase", "top_type_found", "max_reader", "top_reader", "second_reader",
                     "max_retrieval", "top_retrieval", "top3_retrieval", "retrieval_gap")


@dataclass
class Logistic:
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def __call__(self, rows: np.ndarray) -> np.ndarray:
        z = ((np.asarray(rows, dtype=np.float64) - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def to_dict(self) -> dict:
        return {"mean": self.mean.tolist(), "scale": self.scale.tolist(), "coef": self.coef.tolist(), "intercept": self.intercept}

    @classmethod
    def from_dict(cls, d: dict) -> Logistic:
        return cls(*(np.asarray(d[k], dtype=np.float64) for k in ("mean", "scale", "coef")), float(d["intercept"]))


@dataclass
class Trees:
    """Gradient-boosted trees for a yes/no question, evaluated with numpy (exported from scikit-learn's
    HistGradientBoostingClassifier by bench/fit_scorer.py; scikit-learn is not needed to answer)."""

    baseline: float
    trees: list[dict]  # per tree, parallel lists: feature, threshold, left, right, leaf, value, missing_left

    def __call__(self, rows: np.ndarray) -> np.ndarray:
        rows = np.atleast_2d(np.asarray(rows, dtype=np.float64))
        raw = self.raw_one(rows[0]) if len(rows) == 1 else self.raw(rows)
        return 1.0 / (1.0 + np.exp(-raw))

    def raw_one(self, row: np.ndarray) -> np.ndarray:
        """`raw` for one row, walked in plain Python (each question's abstention: ~40x faster, the same sums in order)."""
        raw = float(self.baseline)
        for t in self.trees:
            leaf, node = t["leaf"], 0
            while not leaf[node]:
                x = float(row[t["feature"][node]])
                go_left = bool(t["missing_left"][node]) if math.isnan(x) else x <= t["threshold"][node]
                node = t["left"][node] if go_left else t["right"][node]
            raw += t["value"][node]
        return np.asarray([raw])

    def raw(self, rows: np.ndarray) -> np.ndarray:
        """The summed leaf values (log-odds) per row, all rows at once."""
        raw = np.full(len(rows), self.baseline)
        for t in self.trees:
            node = np.zeros(len(rows), dtype=np.int64)
            leaf = np.asarray(t["leaf"], dtype=bool)
            while not leaf[node].all():
                x = rows[np.arange(len(rows)), np.asarray(t["feature"])[node]]
                go_left = np.where(np.isnan(x), np.asarray(t["missing_left"], dtype=bool)[node], x <= np.asarray(t["threshold"])[node])
                step = np.where(go_left, np.asarray(t["left"])[node], np.asarray(t["right"])[node])
                node = np.where(leaf[node], node, step)
            raw += np.asarray(t["value"])[node]
        return raw

    def to_dict(self) -> dict:
        return {"baseline": self.baseline, "trees": self.trees}

    @classmethod
    def from_dict(cls, d: dict) -> Trees:
        return cls(float(d["baseline"]), d["trees"])

    @classmethod
    def from_sklearn(cls, model) -> Trees:
        """The trees of a fitted binary HistGradientBoostingClassifier (numeric features only)."""
        trees = []
        for (predictor,) in model._predictors:
            n = predictor.nodes
            trees.append({"feature": n["feature_idx"].tolist(), "threshold": [float(v) for v in n["num_threshold"]],
                          "left": n["left"].tolist(), "right": n["right"].tolist(), "leaf": n["is_leaf"].astype(int).tolist(),
                          "value": [round(float(v), 9) for v in n["value"]], "missing_left": n["missing_go_to_left"].astype(int).tolist()})
        return cls(float(np.ravel(model._baseline_prediction)[0]), trees)


def model_from_dict(d: dict) -> Logistic | Trees:
    return Trees.from_dict(d) if "trees" in d else Logistic.from_dict(d)


def question_row(rows: np.ndarray, prob: np.ndarray) -> np.ndarray:
    """The question-level features (QUESTION_FEATURES order) of a candidate list and its passage probabilities."""
    col = {name: i for i, name in enumerate(PASSAGE_FEATURES)}
    if len(rows) == 0:
        return np.zeros(len(QUESTION_FEATURES))
    order = np.argsort(-prob)
    top = rows[order[0]]
    p = prob[order]
    reader_sorted = np.sort(rows[:, col["reader"]])[::-1]
    retrieval = rows[:, col["retrieval"]]  # the vector store's cosines: the likeliest passage's, the best, and their gap
    return np.asarray([
        p[0], p[1] if len(p) > 1 else 0.0, float(p[:3].mean()),
        *(float(rows[:, col[f]].max()) for f in BEST_OF),
        top[col["coverage"]], top[col["sentence_cos"]],
        top[col["unknown_share"]], top[col["unknown_names"]], top[col["terms"]],
        float(rows[:, col["phrase"]].max()), float(rows[:, col["type_found"]].max()), top[col["missing_rare"]],
        float(rows[:, col["missing_rare"]].min()), top[col["typed"]], top[col["phrase"]], top[col["type_found"]],
        float(rows[:, col["reader"]].max()), top[col["reader"]], reader_sorted[1] if len(rows) > 1 else 0.0,
        float(retrieval.max()), retrieval[order[0]], float(retrieval[order[:3]].mean()), float(retrieval.max() - retrieval[order[0]]),
    ])


@dataclass
class Scorer:
    passage: Logistic
    question: Logistic | Trees
    abstain_below: float = 0.5  # the question model's probability under which the answer abstains
    cite_ratio: float = 0.5  # cite passages at least this share of the best one's probability ...
    cite_min: float = 0.02  # a passage less likely than this is no statement of the asked speaker, nor a timeline's
    cite_floor: float = 0.02  # an answer cites passages at least this likely (and within cite_ratio of the best)
    # more than this share of the question's topic words unknown to the corpus: nothing it asks about is here (train and
    # dev splits: 5 of 3,778 answerable questions are above one half, and 56 of 1,875 split-corpus ones)
    unknown_limit: float = 0.5
    fitted_on: dict = field(default_factory=dict)  # what it was fitted and calibrated on, with the dev figures
    # the threshold for the questions read only because the scorer without the reader was unsure, at that margin
    # (bench/fit_scorer.py --gate): fewer answerable questions get there, so it may stop more of the others
    unsure_abstain_below: float | None = None
    unsure_margin: float | None = None
    # the features each model was fitted on, by name: a file fitted before a feature was added still loads and ignores it
    features: tuple[str, ...] = PASSAGE_MODEL_FEATURES
    question_features: tuple[str, ...] = QUESTION_FEATURES

    def __post_init__(self) -> None:
        unknown = (set(self.features) - set(PASSAGE_FEATURES)) | (set(self.question_features) - set(QUESTION_FEATURES))
        if unknown:
            raise ValueError(f"fitted on features this version does not compute: {', '.join(sorted(unknown))}")
        self._passage_cols = [PASSAGE_FEATURES.index(f) for f in self.features]
        self._question_cols = [QUESTION_FEATURES.index(f) for f in self.question_features]

    @classmethod
    def load(cls, path: Path = SCORER_FILE) -> Scorer:
        data = json.loads(Path(path).read_text())
        if len(data["features"]) != len(data["passage"]["coef"]):
            raise ValueError(f"{path}: its passage model does not match the features it names; refit with bench/fit_scorer.py")
        try:
            return cls(Logistic.from_dict(data["passage"]), model_from_dict(data["question"]), float(data["abstain_below"]),
                       float(data["cite_ratio"]), float(data["cite_min"]), float(data.get("cite_floor", data["cite_min"])),
                       float(data.get("unknown_limit", 0.5)), data.get("fitted_on", {}),
                       data.get("unsure_abstain_below"), data.get("unsure_margin"),
                       tuple(data["features"]), tuple(data["question_features"]))
        except ValueError as e:
            raise ValueError(f"{path}: {e}; refit with bench/fit_scorer.py") from None

    def save(self, path: Path = SCORER_FILE) -> None:
        data = {"features": list(self.features), "question_features": list(self.question_features),
                "passage": self.passage.to_dict(), "question": self.question.to_dict(), "abstain_below": self.abstain_below,
                "cite_ratio": self.cite_ratio, "cite_min": self.cite_min, "cite_floor": self.cite_floor, "unknown_limit": self.unknown_limit,
                "fitted_on": self.fitted_on, "unsure_abstain_below": self.unsure_abstain_below, "unsure_margin": self.unsure_margin}
        Path(path).write_text(json.dumps(data, indent=1) + "\n")

    def threshold(self, read_margin: float | None = None) -> float:
        """The abstention threshold; for questions read because the unread scorer was unsure at `read_margin`, the one
        calibrated for them at that margin, if any."""
        if read_margin is not None and self.unsure_abstain_below is not None and read_margin == self.unsure_margin:
            return self.unsure_abstain_below
        return self.abstain_below

    def citation_floor(self, best: float) -> float:
        """How likely a passage must be to be cited beside the best one (probability `best`)."""
        return max(self.cite_floor, self.cite_ratio * best)

    def probability(self, rows: np.ndarray) -> np.ndarray:
        """P(the passage holds the answer) per feature row."""
        return self.passage(rows[:, self._passage_cols]) if len(rows) else np.zeros(0)

    def answerable(self, rows: np.ndarray, prob: np.ndarray, unknown_share: float | None = None) -> float:
        """P(the corpus answers the question), from all its candidates; none when more than `unknown_limit` of what it
        asks about is absent (`unknown_share`: `Context.absence`, what neither the index nor a candidate writes; by
        default, the share of its topic words the index does not know)."""
        share = rows[0, UNKNOWN_SHARE] if len(rows) and unknown_share is None else unknown_share
        if not len(rows) or share > self.unknown_limit:
            return 0.0
        return float(self.question(question_row(rows, prob)[None, self._question_cols])[0])

    def log_odds_past_threshold(self, rows: np.ndarray, prob: np.ndarray, unknown_share: float | None = None) -> float:
        """How far `answerable` lies above (+) or below (-) the abstention threshold, in log-odds: how sure it is."""
        return _logit(self.answerable(rows, prob, unknown_share)) - _logit(self.abstain_below)


def _logit(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log(p / (1 - p))
