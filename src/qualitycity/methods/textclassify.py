"""Short-text classification of Chinese demands: jieba words and character bigrams,
TF-IDF weights (Salton & Buckley 1988, sublinear tf) and one multinomial logistic
regression per target, which gives calibrated-enough per-class probabilities to show
staff a confidence. No Django here: the platform stores and serves the fitted model."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import jieba
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split

jieba.setLogLevel(60)
_KEEP = re.compile(r"[\w\u4e00-\u9fff]")


def tokenize(text: str) -> list[str]:
    """jieba words plus character bigrams of CJK runs: bigrams rescue words jieba splits
    differently in short, colloquial complaints."""
    words = [w for w in jieba.lcut(text or "") if w.strip() and _KEEP.search(w)]
    han = "".join(ch for ch in (text or "") if "\u4e00" <= ch <= "\u9fff")
    return words + [han[i:i + 2] for i in range(len(han) - 1)]


@dataclass
class DemandClassifier:
    """One TF-IDF space shared by several targets (type, category, district, unit)."""

    targets: list[str] = field(default_factory=list)
    vectorizer: TfidfVectorizer | None = None
    models: dict = field(default_factory=dict)

    def fit(self, texts: list[str], labels: dict[str, list[str]]) -> DemandClassifier:
        self.vectorizer = TfidfVectorizer(tokenizer=tokenize, token_pattern=None, lowercase=False,
                                          sublinear_tf=True, min_df=2, max_features=50000)
        matrix = self.vectorizer.fit_transform(texts)
        self.targets = list(labels)
        for name, ys in labels.items():
            if len(set(ys)) < 2:
                self.models[name] = ys[0] if ys else None  # a constant: nothing to learn
                continue
            self.models[name] = LogisticRegression(max_iter=2000, C=8.0).fit(matrix, ys)
        return self

    def predict(self, texts: list[str]) -> dict[str, list[str]]:
        matrix = self.vectorizer.transform(texts)
        return {
            name: (list(model.predict(matrix)) if hasattr(model, "predict") else [model] * len(texts))
            for name, model in self.models.items()
        }

    def suggest(self, text: str, top: int = 3) -> dict[str, list[tuple[str, float]]]:
        """Per target, the ``top`` labels with their probabilities, best first."""
        matrix = self.vectorizer.transform([text])
        result = {}
        for name, model in self.models.items():
            if not hasattr(model, "predict_proba"):
                result[name] = [(model, 1.0)] if model is not None else []
                continue
            probs = model.predict_proba(matrix)[0]
            order = np.argsort(-probs)[:top]
            result[name] = [(str(model.classes_[i]), round(float(probs[i]), 4)) for i in order]
        return result


def evaluate(texts: list[str], labels: dict[str, list[str]], *, test_size: float = 0.2, seed: int = 0) -> dict:
    """Fit on a stratified split (by the first target) and score the held-out part."""
    index = np.arange(len(texts))
    first = labels[next(iter(labels))]
    counts = {y: first.count(y) for y in set(first)}
    stratify = first if min(counts.values()) >= 2 else None
    train, test = train_test_split(index, test_size=test_size, random_state=seed, stratify=stratify)
    pick = lambda seq, idx: [seq[i] for i in idx]  # noqa: E731
    model = DemandClassifier().fit(pick(texts, train), {k: pick(v, train) for k, v in labels.items()})
    predicted = model.predict(pick(texts, test))
    metrics = {}
    for name, ys in labels.items():
        truth = pick(ys, test)
        metrics[name] = {
            "accuracy": round(float(accuracy_score(truth, predicted[name])), 4),
            "macro_f1": round(float(f1_score(truth, predicted[name], average="macro", zero_division=0)), 4),
            "classes": len(set(ys)),
        }
    return {"n_train": len(train), "n_test": len(test), "seed": seed, "targets": metrics}
