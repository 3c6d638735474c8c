"""《舞钢市用人单位劳动保障信用分级分类监管办法》(舞人社〔2022〕127号) as code.

Pure Python: no Django, no I/O. Read it beside the regulation: each article
that decides something is one function that quotes it.
"""

from laborcredit.rules.grading import BasisEntry, GradeResult, grade
from laborcredit.rules.parameters import NotInForce, parameters_on
from laborcredit.rules.vocabulary import Grade, Record, RecordType

__all__ = [
    "BasisEntry",
    "Grade",
    "GradeResult",
    "NotInForce",
    "Record",
    "RecordType",
    "grade",
    "parameters_on",
]
