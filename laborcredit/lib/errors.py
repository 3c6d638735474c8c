"""A refusal of the input: every problem with its place, Chinese message and stable code.

Services raise `Refused` before changing anything (or inside the transaction,
which then rolls back), so a refused action changes nothing.
"""

from __future__ import annotations

from laborcredit.rules.validation import Problem


class Refused(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("；".join(str(p) for p in problems))
        self.problems = problems

    @classmethod
    def one(cls, place: str, message: str, code: str) -> Refused:
        return cls([Problem(place, message, code)])

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]
