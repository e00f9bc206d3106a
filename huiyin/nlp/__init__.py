"""Huiyin text features, pure Python (no Django): segmentation and full-text terms, category
suggestion (trained model or keyword rules), repeat / same-issue detection, hot-issue clustering and
reply checks. See each module's docstring; the Django side stores models, keys and terms."""

from .base import Prediction

__all__ = ["Prediction"]
