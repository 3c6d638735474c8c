"""The base of every form: labels end in a full-width colon, as Chinese text does."""

from __future__ import annotations

from typing import Any

from django import forms


class Form(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Django's zh_Hans catalogue keeps ":" ASCII; Chinese punctuation wants "：".
        kwargs.setdefault("label_suffix", "：")
        super().__init__(*args, **kwargs)
