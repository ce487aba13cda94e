"""The stored classifier, evaluated for one demand at a time with plain numpy.

``DemandClassifier.suggest`` goes through scikit-learn's ``transform`` and four
``predict_proba`` calls, which check and convert their input on every call: about 3 ms of
the 4 ms one Open311 intake spent on its suggestion. For a single short text the sums
themselves are tiny, so this reads the fitted vocabulary, IDF weights and coefficients once
per process and computes the same probabilities directly: the same analyser (jieba words
and bigrams), sublinear tf, IDF and l2 norm as ``TfidfVectorizer``, then the softmax (or,
for two classes, the logistic) that ``LogisticRegression.predict_proba`` applies.
The tests compare it with ``DemandClassifier.suggest``.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import expit


class CompiledSuggester:
    def __init__(self, model):
        vectorizer = model.vectorizer
        if vectorizer.norm not in ("l2", None):
            raise ValueError(f"unsupported norm {vectorizer.norm!r}")
        self._analyze = vectorizer.build_analyzer()
        self._vocabulary = vectorizer.vocabulary_
        self._idf = np.asarray(vectorizer.idf_, dtype=np.float64) if vectorizer.use_idf else None
        self._sublinear = vectorizer.sublinear_tf
        self._l2 = vectorizer.norm == "l2"
        self._targets = []
        for name, fitted in model.models.items():
            if hasattr(fitted, "predict_proba"):
                coef = np.ascontiguousarray(fitted.coef_, dtype=np.float64)
                self._targets.append((name, [str(c) for c in fitted.classes_], coef, np.asarray(fitted.intercept_)))
            else:  # a target with a single label: nothing was learnt
                self._targets.append((name, fitted, None, None))

    def features(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The TF-IDF row of ``text``: column indices (ascending) and weights."""
        counts: dict[int, int] = {}
        vocabulary = self._vocabulary
        for token in self._analyze(text or ""):
            column = vocabulary.get(token)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        columns = np.array(sorted(counts), dtype=np.intp)
        weights = np.array([counts[c] for c in columns], dtype=np.float64)
        if self._sublinear:
            weights = np.log(weights) + 1.0
        if self._idf is not None:
            weights *= self._idf[columns]
        if self._l2:
            norm = math.sqrt(float(weights @ weights))
            if norm > 0:
                weights /= norm
        return columns, weights

    def suggest(self, text: str, top: int = 3) -> dict[str, list[tuple[str, float]]]:
        """Per target, the ``top`` labels with their probabilities, best first."""
        columns, weights = self.features(text)
        result = {}
        for name, classes, coef, intercept in self._targets:
            if coef is None:
                result[name] = [(classes, 1.0)] if classes is not None else []
                continue
            decision = coef[:, columns] @ weights + intercept
            if len(classes) <= 2:
                positive = float(expit(decision[0]))
                probs = np.array([1.0 - positive, positive])
            else:
                probs = np.exp(decision - decision.max())
                probs /= probs.sum()
            order = np.argsort(-probs)[:top]
            result[name] = [(classes[i], round(float(probs[i]), 4)) for i in order]
        return result
