"""factory_boy factories: valid employers with real check characters, through the services."""

from __future__ import annotations

import itertools

import factory
from stdnum.cn import uscc as stdnum_uscc

from laborcredit.credit.models import Employer
from laborcredit.credit.services import employer_create

_serial = itertools.count(1)


def make_uscc(n: int | None = None) -> str:
    """A valid unified social credit code registered in Wugang (410481)."""
    body = f"91410481MA{(n if n is not None else next(_serial)):07d}"
    return body + stdnum_uscc.calc_check_digit(body)


class EmployerFactory(factory.Factory):
    """Builds an employer with `employer_create`, so it is audited and graded like a real one."""

    class Meta:
        model = Employer

    uscc = factory.LazyFunction(make_uscc)
    name = factory.Sequence(lambda n: f"舞钢市测试{n}号有限公司")
    township = "垭口街道"
    industry_code = "C31"
    registration_type = "有限责任公司"
    employees = 50

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        kwargs.setdefault("actor", "officer")
        return employer_create(**kwargs)
