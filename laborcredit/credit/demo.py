"""A synthetic Wugang (舞钢市) for demonstrations and trials, made deterministically from a seed.

`generate` is pure: the same seed, size, span and date give the same employers
and records, row for row. The rows are in the import format of
`credit_file_import` (employers with `uscc` and basic information, records with
`uscc` and the record's fields), so demo data enters the credit file through
the same checks, audit and grading as an officer's file.

The rates are guesses at a small industrial city, not statistics: most
employers clean; about 12 % with a violation found (查处) in the span, most
corrected within the deadline; about 3 % penalised; about 1 % blacklisted for
wage arrears (listing lasts 3 years, 人社部令第45号); about 2 % losing an
arbitration; about 3 % designated harmonious enterprises (第九条).
"""

from __future__ import annotations

import datetime
import math
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta
from stdnum.cn import uscc as stdnum_uscc

from laborcredit.credit.reference import TOWNSHIPS
from laborcredit.lib.bulk import copy_rows, reserve_ids

DEFAULT_SEED = 20221215
"""The 办法's effective date (2022-12-15)."""

BUREAU = "舞钢市人力资源和社会保障局"
ARBITRATION_BODY = "舞钢市劳动人事争议仲裁委员会"
PROVINCIAL_BODY = "河南省社会信用体系建设领导小组办公室"
REGION = "410481"  # 舞钢市 (GB/T 2260)

# ---------------------------------------------------------------- the city

_TOWNSHIP_WEIGHTS = {
    "垭口街道": 16, "寺坡街道": 12, "院岭街道": 12, "矿建街道": 8, "朱兰街道": 8,
    "尚店镇": 7, "八台镇": 7, "尹集镇": 6, "枣林镇": 6, "武功乡": 5, "杨庄乡": 5,
    "庙街乡": 4, "铁山乡": 4,
}  # fmt: skip
assert set(_TOWNSHIP_WEIGHTS) == set(TOWNSHIPS)

_ROADS = (
    "建设路", "湖滨大道", "人民路", "钢城路", "光明路", "朝阳路", "文化路", "银山路",
    "五一路", "和平路", "龙山路", "跃进路", "南环路", "北环路", "工业路", "迎宾大道",
)  # fmt: skip

# (industry code, weight, trade words for company names, registration mix)
_INDUSTRIES: tuple[tuple[str, int, tuple[str, ...]], ...] = (
    ("C31", 22, ("钢铁", "特钢", "钢板", "轧钢", "冶金材料")),
    ("C33", 7, ("金属制品", "钢结构", "五金制品", "铸造")),
    ("C30", 4, ("建材", "耐火材料", "水泥制品", "石料")),
    ("C34", 2, ("机械设备", "通用机械")),
    ("C35", 2, ("矿山机械", "冶金设备")),
    ("C38", 1, ("电气设备", "电缆")),
    ("C13", 2, ("粮油", "食品加工")),
    ("C17", 1, ("纺织",)),
    ("C18", 2, ("服饰", "制衣")),
    ("C26", 1, ("化工", "新材料")),
    ("E47", 8, ("建筑工程", "建设工程", "建工")),
    ("E48", 6, ("路桥工程", "市政工程", "水利工程")),
    ("E50", 3, ("装饰工程", "装修")),
    ("B", 2, ("矿业", "铁矿")),
    ("D", 1, ("热力", "供水", "电力工程")),
    ("F51", 5, ("商贸", "物资", "钢材贸易")),
    ("F52", 8, ("超市", "商贸")),
    ("G54", 4, ("物流", "运输")),
    ("H61", 2, ("酒店", "宾馆")),
    ("H62", 5, ("餐饮管理", "饮食服务")),
    ("K70", 2, ("房地产开发", "置业")),
    ("L72", 3, ("劳务", "人力资源", "物业管理")),
    ("O80", 3, ("家政服务", "保洁服务")),
    ("P83", 2, ("培训学校", "职业培训")),
    ("Q84", 2, ("医院", "诊所")),
    ("A", 3, ("农业开发", "养殖", "林业")),
    ("I", 1, ("信息技术", "网络科技")),
    ("R", 1, ("文化传媒",)),
)

# Individual businesses (个体工商户): shop words and their industry.
_SHOPS = (
    ("饭店", "H62"), ("面馆", "H62"), ("烩面馆", "H62"), ("超市", "F52"), ("便利店", "F52"),
    ("五金店", "F52"), ("建材门市部", "F52"), ("理发店", "O80"), ("汽车修理部", "O80"),
    ("家电维修部", "O80"), ("诊所", "Q84"), ("宾馆", "H61"), ("加工厂", "C33"),
)  # fmt: skip

_BRANDS = (
    "华瑞", "宏达", "兴业", "鑫源", "钢城", "龙泉", "恒通", "中原", "永兴", "金石", "天宇",
    "瑞丰", "盛世", "广源", "昌盛", "东方", "新星", "润华", "腾飞", "嘉和", "汇通", "远航",
    "德信", "海峰", "同创", "明珠", "泰康", "隆鑫", "荣达", "鼎盛", "佳禾", "银山", "石漫滩",
    "灯台架", "二郎山", "龙山", "山水", "豫舞", "舞阳", "湖滨", "凤山", "九头崖", "秀林",
    "晨光", "万和", "富源", "信达", "利民", "安泰", "众合", "聚力", "正阳", "丰泽", "博远",
)  # fmt: skip

_LUCKY = "华瑞宏达兴鑫源恒通永金天丰盛广昌新润腾嘉汇德信海同泰隆荣鼎佳富安众正博豫钢翔宇辉凯"

_SURNAMES = (
    ("王", 14), ("李", 12), ("张", 12), ("刘", 8), ("陈", 6), ("杨", 5), ("赵", 4),
    ("黄", 3), ("周", 3), ("吴", 3), ("徐", 2), ("孙", 3), ("马", 3), ("朱", 2), ("胡", 2),
    ("郭", 3), ("何", 2), ("高", 3), ("林", 1), ("罗", 1), ("郑", 2), ("梁", 1), ("谢", 1),
    ("宋", 2), ("韩", 2), ("冯", 2), ("于", 1), ("董", 2), ("程", 1), ("曹", 1), ("袁", 1),
    ("邓", 1), ("许", 1), ("付", 1), ("沈", 1), ("曾", 1), ("彭", 1), ("吕", 1), ("苏", 1),
    ("卢", 1), ("蒋", 1), ("蔡", 1), ("贾", 1), ("丁", 1), ("魏", 1), ("薛", 1), ("叶", 1),
    ("阎", 1), ("余", 1), ("潘", 1), ("杜", 1), ("戴", 1), ("夏", 1), ("钟", 1), ("汪", 1),
    ("田", 1), ("任", 1), ("姜", 1), ("范", 1), ("方", 1), ("石", 1), ("姚", 1), ("谭", 1),
)  # fmt: skip

_GIVEN_MALE = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宁建国志军红卫新民海峰春雷东亮永庆文"
_GIVEN_FEMALE = "芳娜敏静丽艳娟霞秀英玲桂兰萍红梅燕琳丹洁莉慧佳颖雪婷倩"

_COMPANY_REGISTRATIONS = (
    ("有限责任公司", 65), ("私营企业", 18), ("股份有限公司", 6), ("国有企业", 3),
    ("集体企业", 2), ("外商投资企业", 1), ("港澳台商投资企业", 1),
)  # fmt: skip
"""Registration types of a 有限公司 (私营企业 as the statistics file private limited companies)."""

_VIOLATIONS = (
    ("未依法与劳动者订立书面劳动合同", "已与相关劳动者补签书面劳动合同"),
    ("拖欠劳动者工资", "已足额支付拖欠的工资"),
    ("未按规定支付加班工资", "已补发加班工资"),
    ("未依法为职工参加社会保险", "已为职工补缴社会保险费"),
    ("违反工作时间和休息休假规定", "已调整工时制度并安排补休"),
    ("未按规定建立职工名册", "已建立职工名册"),
    ("支付工资低于当地最低工资标准", "已补足差额并按标准支付工资"),
    ("未按规定办理劳动用工备案", "已补办劳动用工备案"),
)
_PENALTY_BASES = (
    "《劳动保障监察条例》第二十四条",
    "《劳动保障监察条例》第二十六条",
    "《劳动保障监察条例》第二十六条",
    "《劳动保障监察条例》第二十七条",
    "《劳动保障监察条例》第二十五条",
    "《中华人民共和国劳动合同法实施条例》第三十三条",
    "《劳动保障监察条例》第二十六条",
    "《就业服务与就业管理规定》第七十五条",
)
"""The 处罚依据 a demo penalty names for each of _VIOLATIONS (illustrative, for the bureau to check)."""
_WAGE_ARREARS = 1

_DISCLOSURE = {
    "violation_found": "shared",
    "violation_corrected": "shared",
    "penalty_imposed": "public",
    "penalty_fulfilled": "public",
    "blacklist_listed": "public",
    "blacklist_removed": "public",
    "arbitration_lost": "internal",
    "harmonious_certified": "public",
    "harmonious_revoked": "public",
    "labor_practice_assessed": "internal",
    "provincial_credit": "shared",
}

# ---------------------------------------------------------------- identifiers

_USCC_BODY = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015: no I, O, S, V, Z


def uscc_with_check(body17: str) -> str:
    """A unified social credit code: 17 characters and their GB 32100-2015 check character."""
    return body17 + stdnum_uscc.calc_check_digit(body17)


def id_check_digit(body17: str) -> str:
    """GB 11643-1999 check character (ISO 7064 MOD 11-2) of the first 17 digits."""
    total = sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(body17))
    return "10X98765432"[total % 11]


# ---------------------------------------------------------------- generation


@dataclass
class _Case:
    """A case number given after all cases are drawn, so that numbers rise with dates."""

    kind: str  # "监" inspection, "罚" penalty decision, "仲" arbitration
    date: datetime.date
    text: str = ""


@dataclass
class _Employer:
    row: dict[str, Any]
    industry: str
    employees: int
    individual: bool
    records: list[dict[str, Any]] = field(default_factory=list)


def _weighted(rng: random.Random, pairs: Any) -> Any:
    items = list(pairs)
    return rng.choices([p[0] for p in items], weights=[p[1] for p in items])[0]


def _day_between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _person(rng: random.Random) -> tuple[str, bool]:
    surname = _weighted(rng, _SURNAMES)
    male = rng.random() < 0.78  # legal representatives are mostly men
    pool = _GIVEN_MALE if male else _GIVEN_FEMALE
    given = "".join(rng.choice(pool) for _ in range(1 if rng.random() < 0.25 else 2))
    return surname + given, male


def _id_number(rng: random.Random, male: bool, as_of: datetime.date) -> str:
    born = _day_between(
        rng, datetime.date(as_of.year - 65, 1, 1), datetime.date(as_of.year - 24, 12, 31)
    )
    sequence = rng.randrange(0, 500) * 2 + (1 if male else 0)
    body = f"{_birth_region(born.year)}{born:%Y%m%d}{sequence:03d}"
    return body + id_check_digit(body)


def _birth_region(year: int) -> str:
    """The area code an ID number of someone born in `year` carries here, as GB/T 2260 dates it.

    舞钢市 (410481) exists from 1990; before it 舞钢区 (410412, 1982–1990), and before that
    the area belonged to 舞阳县 of 许昌地区 (412632). The ID check (python-stdnum) refuses a
    code that did not exist in the birth year, so older people carry the older codes.
    """
    if year >= 1990:
        return REGION
    return "410412" if year >= 1982 else "412632"


def _phone(rng: random.Random) -> str:
    if rng.random() < 0.2:
        return f"0375-{rng.choice('86')}{rng.randrange(0, 1_000_000):06d}"
    prefix = rng.choice(("133", "135", "137", "138", "139", "150", "152", "155", "158", "166",
                         "176", "177", "182", "186", "187", "189", "191", "199"))  # fmt: skip
    return f"{prefix}{rng.randrange(0, 100_000_000):08d}"


def _employees(rng: random.Random, industry: str, individual: bool) -> int:
    if individual:
        return rng.randint(1, 8)
    median = {"C31": 60, "E47": 45, "E48": 45, "B": 40, "D": 50, "Q84": 30}.get(industry, 18)
    count = round(rng.lognormvariate(math.log(median), 1.1))
    return max(3, min(count, 9000))


_CROWDED_AFTER = 8
"""Draws of a taken name in a row after which the city counts as crowded (see `_Names`)."""


@dataclass
class _Names:
    """The codes and names taken so far.

    The plain name space (brand × trade, place × shop) holds a few hundred thousand
    names: a city of a million employers would exhaust it and draw for ever. Once
    `_CROWDED_AFTER` draws in a row hit taken names, the city is crowded and a name
    that is taken is drawn again from the wide space (three-character brands, shops
    named by road and owner). A city of the default size (3,000) never gets there, so
    its rows are those the seed gave before this existed; from about 20,000 on, a city
    has some wide names.
    """

    codes: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    crowded: bool = False


def _employer(rng: random.Random, taken: _Names, as_of: datetime.date) -> _Employer:
    individual = rng.random() < 0.12
    township = _weighted(rng, _TOWNSHIP_WEIGHTS.items())
    rep, male = _person(rng)
    misses = 0
    while True:
        wide = misses >= (1 if taken.crowded else _CROWDED_AFTER)
        if wide and not taken.crowded:
            taken.crowded = True
        if individual:
            shop, industry = rng.choice(_SHOPS)
            place = rng.choice((township[:2], rng.choice(_BRANDS), rep))
            if wide:
                place = f"{rng.choice(_ROADS)}{rep}"
            name = f"舞钢市{place}{shop}"
            # 个体工商户: 92 + region + 10-character code
            body = "92" + REGION + "MA" + "".join(rng.choice(_USCC_BODY) for _ in range(7))
        else:
            industry = _weighted(rng, ((c, w) for c, w, _ in _INDUSTRIES))
            trades = next(t for c, _, t in _INDUSTRIES if c == industry)
            brand = rng.choice(_BRANDS) if rng.random() < 0.5 else "".join(rng.sample(_LUCKY, 2))
            if wide:
                brand = "".join(rng.sample(_LUCKY, 3))
            trade = rng.choice(trades)
            suffix = "有限责任公司" if rng.random() < 0.2 else "有限公司"
            if industry in ("Q84", "P83") and rng.random() < 0.5:
                suffix = ""
            name = f"舞钢市{brand}{trade}{suffix}"
            body = "91" + REGION + "MA" + "".join(rng.choice(_USCC_BODY) for _ in range(7))
        code = uscc_with_check(body)
        if code not in taken.codes and name not in taken.names:
            break
        misses += 1
    taken.codes.add(code)
    taken.names.add(name)
    if individual:
        registration = "个体工商户"
    elif not name.endswith("公司"):
        registration = rng.choice(("民办非企业单位", "个人独资企业", "其他"))
    else:
        registration = _weighted(rng, _COMPANY_REGISTRATIONS)
    employees = _employees(rng, industry, individual)
    contact = rep if individual or rng.random() < 0.3 else _person(rng)[0]
    row = {
        "uscc": code,
        "name": name,
        "legal_rep_name": rep,
        "legal_rep_id_number": _id_number(rng, male, as_of),
        "address": f"舞钢市{township}{rng.choice(_ROADS)}{rng.randint(1, 300)}号",
        "township": township,
        "industry_code": industry,
        "registration_type": registration,
        "employees": employees,
        "contact_name": contact,
        "contact_phone": _phone(rng),
    }
    return _Employer(row, industry, employees, individual)


def _record_holder(rng: random.Random, number: int) -> _Employer:
    """An employer only as far as its records depend on it (kind, industry, size), for
    `generate(records_only=True)`: no name, code or people drawn; `uscc` is "#number"."""
    individual = rng.random() < 0.12
    if individual:
        industry = rng.choice(_SHOPS)[1]
    else:
        industry = _weighted(rng, ((c, w) for c, w, _ in _INDUSTRIES))
    employees = _employees(rng, industry, individual)
    return _Employer({"uscc": f"#{number}"}, industry, employees, individual)


def generate(
    seed: int = DEFAULT_SEED,
    employers: int = 3000,
    years: int = 6,
    as_of: datetime.date | None = None,
    *,
    records_only: bool = False,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Employers and their records over `years` years up to `as_of`, from the seed alone.

    Returns (employer rows, record rows); every record row names its employer by `uscc`.
    With `records_only` the employers are drawn only as far as the records need them
    (`_record_holder`): the records have the same distributions, the employer rows hold
    nothing but the key "#n", and a city costs a fifth of the time. The benchmark dataset
    (benchmarks/dataset.py) deals such cities' histories to its employers.
    """
    if as_of is None:
        raise ValueError("as_of is required: demo data depends on the date, never on the clock")
    rng = random.Random(seed)
    start = as_of - relativedelta(years=years) + datetime.timedelta(days=1)
    taken = _Names()
    if records_only:
        city = [_record_holder(rng, number) for number in range(employers)]
    else:
        city = [_employer(rng, taken, as_of) for _ in range(employers)]
    cases: list[_Case] = []
    years_in_span = list(range(start.year, as_of.year + 1))
    # 市级劳动关系和谐企业 are designated once a year, in one batch.
    designation_days = {y: datetime.date(y, 12, rng.randint(10, 28)) for y in years_in_span}
    provincial_days = {y: datetime.date(y, 6, rng.randint(15, 30)) for y in years_in_span}

    def add(e: _Employer, type_: str, day: datetime.date, **fields: Any) -> None:
        if day > as_of or day < start:
            return
        e.records.append({"uscc": e.row["uscc"], "type": type_, "date": day, **fields})

    def case(kind: str, day: datetime.date) -> _Case:
        c = _Case(kind, day)
        cases.append(c)
        return c

    for e in city:
        roll = rng.random()
        construction = e.industry in ("E47", "E48", "E50")
        # --- provincial credit results (第八条): yearly for most enterprises
        if not e.individual and rng.random() < 0.6:
            base = _weighted(rng, (("A", 45), ("B", 45), ("C", 8), ("D", 2)))
            for y in years_in_span:
                if rng.random() < 0.15:  # a year without a published result
                    continue
                level = base if rng.random() < 0.8 else _weighted(
                    rng, (("A", 40), ("B", 45), ("C", 12), ("D", 3))
                )  # fmt: skip
                add(e, "provincial_credit", provincial_days[y], level=level,
                    issuing_body=PROVINCIAL_BODY)  # fmt: skip

        # --- violations found (第十条, 第十一条), some penalised (第十二条(一))
        violator = rng.random() < (0.16 if construction else 0.115)
        if violator:
            for _ in range(1 if rng.random() < 0.85 else 2):
                _violation(rng, e, start, as_of, add, case)

        # --- wage-arrears blacklist (第十二条(二)), mostly construction
        if rng.random() < (0.035 if construction else 0.006):
            _blacklisting(rng, e, start, as_of, add, case)

        # --- lost arbitrations (第九条(一))
        if rng.random() < (0.02 if not e.individual else 0.008):
            day = _day_between(rng, start, as_of)
            add(e, "arbitration_lost", day, case=case("仲", day), issuing_body=ARBITRATION_BODY,
                description="劳动争议仲裁案件，裁决支持劳动者的仲裁请求")  # fmt: skip

        # --- harmonious-enterprise designations (第九条), larger clean employers
        if not violator and e.employees >= 30 and roll < 0.10:
            _harmonious(rng, e, start, as_of, add, designation_days)

    _number_cases(cases)
    records = []
    for e in city:
        e.records.sort(key=lambda r: (r["date"], _TYPE_ORDER[r["type"]]))
        for r in e.records:
            out = {k: _plain(v) for k, v in r.items()}
            out.setdefault("disclosure", _DISCLOSURE[out["type"]])
            records.append(out)
    return [e.row for e in city], records


def _plain(value: Any) -> Any:
    """A value as the import format has it: dates as YYYY-MM-DD, cases as their numbers."""
    if isinstance(value, _Case):
        return value.text
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


_TYPE_ORDER = {
    t: i
    for i, t in enumerate(
        (
            "provincial_credit",
            "harmonious_certified",
            "labor_practice_assessed",
            "harmonious_revoked",
            "violation_found",
            "penalty_imposed",
            "violation_corrected",
            "penalty_fulfilled",
            "blacklist_listed",
            "blacklist_removed",
            "arbitration_lost",
        )
    )
}


Day = datetime.date
Add = Callable[..., None]
"""add(employer, type, date, **fields): a record, dropped when outside the span."""
NewCase = Callable[[str, Day], _Case]


def _violation(rng: random.Random, e: _Employer, start: Day, as_of: Day, add: Add,
               case: NewCase) -> None:  # fmt: skip
    found = _day_between(rng, start, as_of)
    kind = rng.randrange(len(_VIOLATIONS))
    what, fix = _VIOLATIONS[kind]
    c = case("监", found)
    deadline = found + datetime.timedelta(days=rng.choice((10, 15, 15, 20, 30)))
    add(e, "violation_found", found, case=c, correction_deadline=deadline,
        issuing_body=BUREAU, description=f"劳动保障监察发现：{what}")  # fmt: skip
    # About a quarter of the violations end in a penalty (about 3 % of employers).
    penalised = rng.random() < 0.26
    fate = rng.random()
    if penalised:
        corrected = found + datetime.timedelta(days=rng.randint(20, 120)) if fate < 0.88 else None
    elif fate < 0.80:
        corrected = _day_between(rng, found + datetime.timedelta(days=2), deadline)
    elif fate < 0.93:
        corrected = deadline + datetime.timedelta(days=rng.randint(1, 90))
    else:
        corrected = None
    if penalised:
        decided = found + datetime.timedelta(days=rng.randint(20, 75))
        document = case("罚", decided)
        thousands = rng.choice((2, 5, 8, 10, 20))
        add(e, "penalty_imposed", decided, case=c, document_number=document,
            issuing_body=BUREAU,
            description=f"因{what}，逾期未改正，依法作出行政处罚决定，罚款{thousands * 1000}元",
            violation_type=what, penalty_category="罚款", fine_amount=thousands * 1000,
            penalty_basis=_PENALTY_BASES[kind],
            penalty_content=f"罚款人民币{thousands * 1000}元")  # fmt: skip
        if rng.random() < 0.85:
            add(e, "penalty_fulfilled", decided + datetime.timedelta(days=rng.randint(5, 60)),
                case=c, issuing_body=BUREAU, description="已缴纳罚款，履行行政处罚决定")  # fmt: skip
    if corrected is not None:
        add(e, "violation_corrected", corrected, case=c, issuing_body=BUREAU, description=fix)


def _blacklisting(rng: random.Random, e: _Employer, start: Day, as_of: Day, add: Add,
                  case: NewCase) -> None:  # fmt: skip
    # 人社部令第45号: an order to pay by a deadline, not met; then listing for three years.
    found = _day_between(rng, start, as_of - datetime.timedelta(days=60))
    c = case("监", found)
    deadline = found + datetime.timedelta(days=15)
    add(e, "violation_found", found, case=c, correction_deadline=deadline, issuing_body=BUREAU,
        description=f"劳动保障监察发现：{_VIOLATIONS[_WAGE_ARREARS][0]}（农民工工资），责令限期支付，逾期未支付")  # fmt: skip
    listed = deadline + datetime.timedelta(days=rng.randint(20, 45))
    add(e, "blacklist_listed", listed, issuing_body=BUREAU,
        description="拖欠农民工工资数额达到认定拒不支付劳动报酬罪数额标准，列入拖欠农民工工资失信联合惩戒对象名单，期限3年")  # fmt: skip
    paid = listed + datetime.timedelta(days=rng.randint(30, 300))
    add(e, "violation_corrected", paid, case=c, issuing_body=BUREAU,
        description="已足额支付拖欠的农民工工资")  # fmt: skip
    if rng.random() < 0.4:
        # early removal: paid, six months since, a written promise; decided within 15 working days
        removed = paid + relativedelta(months=6) + datetime.timedelta(days=rng.randint(10, 60))
        reason = "已足额支付拖欠工资满6个月并作出信用承诺，提前移出"
    else:
        removed = listed + relativedelta(years=3) + datetime.timedelta(days=rng.randint(1, 12))
        reason = "列入期限届满，移出名单"
    add(e, "blacklist_removed", removed, issuing_body=BUREAU, description=reason)


def _harmonious(rng: random.Random, e: _Employer, start: Day, as_of: Day, add: Add,
                designation_days: dict[int, Day]) -> None:  # fmt: skip
    eligible = [d for d in designation_days.values() if start <= d <= as_of]
    if not eligible:
        return
    certified = rng.choice(eligible)
    add(e, "harmonious_certified", certified, issuing_body=BUREAU,
        description="认定为舞钢市劳动关系和谐企业")  # fmt: skip
    revoked = None
    if rng.random() < 0.12:
        revoked = certified + datetime.timedelta(days=rng.randint(200, 900))
        add(e, "harmonious_revoked", revoked, issuing_body=BUREAU,
            description="复核不再符合劳动关系和谐企业条件，撤销认定")  # fmt: skip
    # 第九条(二): the labour practice is assessed once a year, most pass; some skip a year.
    day = certified + datetime.timedelta(days=rng.randint(60, 200))
    while day <= as_of and (revoked is None or day < revoked):
        if rng.random() < 0.88:
            add(e, "labor_practice_assessed", day, passed=rng.random() < 0.92,
                issuing_body=BUREAU, description="劳动合同制度执行、职工关爱、企业凝聚力评估")  # fmt: skip
        day += datetime.timedelta(days=rng.randint(330, 380))


def _number_cases(cases: list[_Case]) -> None:
    """Number the cases of each kind and year in date order: 舞人社监〔2024〕35号."""
    counters: Counter[tuple[str, int]] = Counter()
    for c in sorted(cases, key=lambda c: (c.date, c.kind)):
        counters[(c.kind, c.date.year)] += 1
        n = counters[(c.kind, c.date.year)] + (6 if c.kind == "仲" else 0)
        if c.kind == "仲":
            c.text = f"舞劳人仲案字〔{c.date.year}〕{n}号"
        else:
            c.text = f"舞人社{c.kind}〔{c.date.year}〕{n}号"


def batches(
    employer_rows: list[dict[str, Any]], record_rows: list[dict[str, Any]], size: int = 500
) -> list[tuple[list[dict[str, Any]], list[dict[str, Any]]]]:
    """The rows cut into batches of `size` employers, each with all of its employers' records."""
    by_uscc: dict[str, list[dict[str, Any]]] = {}
    for r in record_rows:
        by_uscc.setdefault(r["uscc"], []).append(r)
    out = []
    for lo in range(0, len(employer_rows), size):
        chunk = employer_rows[lo : lo + size]
        out.append((chunk, [r for e in chunk for r in by_uscc.get(e["uscc"], [])]))
    return out


# ---------------------------------------------------------------- writing a city into the database


@dataclass
class LoadSummary:
    """What a load wrote, and how long the writing took (generation not included)."""

    employers: int = 0
    records: int = 0
    records_skipped: int = 0  # the same fact twice for one employer: stored once, as on import
    audit_entries: int = 0
    grades: Counter[str] = field(default_factory=Counter)
    needs_review: int = 0
    seconds: float = 0.0
    path: str = ""

    @property
    def records_per_second(self) -> float:
        return self.records / self.seconds if self.seconds else 0.0


def demo_load(
    employer_rows: list[dict[str, Any]],
    record_rows: list[dict[str, Any]],
    *,
    actor: str,
    source_name: str,
    as_of: datetime.date,
    bulk: bool | None = None,
    progress: Callable[[int], None] | None = None,
) -> LoadSummary:
    """Write generated rows into the credit file: COPY on PostgreSQL (`demo_copy`), the
    import service elsewhere (`demo_import`). `bulk` forces one or the other."""
    from django.db import connection

    if bulk is None:
        bulk = connection.vendor == "postgresql"
    load = demo_copy if bulk else demo_import
    return load(
        employer_rows, record_rows, actor=actor, source_name=source_name, as_of=as_of,
        progress=progress,
    )  # fmt: skip


def demo_import(
    employer_rows: list[dict[str, Any]],
    record_rows: list[dict[str, Any]],
    *,
    actor: str,
    source_name: str,
    as_of: datetime.date,
    progress: Callable[[int], None] | None = None,
    batch: int = 500,
) -> LoadSummary:
    """Through `credit_file_import`, 500 employers at a time: every check, any database."""
    import time

    from laborcredit.credit.models import Source
    from laborcredit.credit.services import credit_file_import
    from laborcredit.rating.models import EmployerGrade

    started = time.monotonic()
    summary = LoadSummary(path="import")
    for number, (employers, records) in enumerate(
        batches(employer_rows, record_rows, batch), start=1
    ):
        done = credit_file_import(
            employers=[(f"单位[{number}:{i}]", e) for i, e in enumerate(employers)],
            records=[(f"记录[{number}:{i}]", r) for i, r in enumerate(records)],
            actor=actor,
            source=Source.IMPORT,
            source_name=source_name,
            today=as_of,
        )
        summary.employers += done.employers_created
        summary.records += done.records_created
        summary.records_skipped += done.records_skipped
        if progress:
            progress(len(employers))
    summary.seconds = time.monotonic() - started
    usccs = [e["uscc"] for e in employer_rows]
    for chunk in range(0, len(usccs), 5000):
        for grade, needs_review in EmployerGrade.objects.filter(
            employer__uscc__in=usccs[chunk : chunk + 5000]
        ).values_list("grade", "needs_review"):
            summary.grades[grade] += 1
            summary.needs_review += needs_review
    return summary


class _Named:
    """Attributes by name: what a hash or audit function reads of a row not yet stored."""

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)


COPY_COLUMNS: dict[str, list[str]] = {
    "employer": [
        "id", "uscc", "name", "legal_rep_name", "legal_rep_id_number", "legal_rep_id_index",
        "address", "township", "industry_code", "industry_name", "registration_type",
        "employees", "contact_name", "contact_phone", "created_at", "updated_at",
    ],
    "record": [
        "id", "employer_id", "lineage", "version", "supersedes_id", "action", "type", "date",
        "case", "correction_deadline", "passed", "level", "document_number", "issuing_body",
        "description", "disclosure", "source", "source_ref", "reason", "entered_by",
        "entered_at", "fingerprint", "content_hash", "violation_type", "penalty_basis",
        "penalty_category", "penalty_content", "fine_amount",
    ],
    "grade": [
        "employer_id", "grade", "needs_review", "provincial_level", "basis", "rule_version",
        "as_of", "next_change_on", "cause", "run_id", "decision_id", "updated_at",
    ],
    "change": [
        "employer_id", "from_grade", "to_grade", "needs_review", "basis", "rule_version",
        "as_of", "cause", "record_id", "run_id", "decision_id", "actor", "created_at",
    ],
    "audit": [
        "ts", "actor", "role", "address", "event", "object_type", "object_id", "outcome",
        "request_id", "data", "prev_hash", "hash",
    ],
}  # fmt: skip
"""The columns the COPY loaders write, table by table (here and benchmarks/dataset.py)."""


def demo_copy(
    employer_rows: list[dict[str, Any]],
    record_rows: list[dict[str, Any]],
    *,
    actor: str,
    source_name: str,
    as_of: datetime.date,
    progress: Callable[[int], None] | None = None,
    chunk: int = 10_000,
) -> LoadSummary:
    """PostgreSQL's bulk path: the rows the import service would store, written with COPY.

    The same stored form as `credit_file_import` (cleaned basic information,
    encrypted ID and phone numbers with the blind index, the first name in the
    name history, record versions with their fingerprint and content hash, the
    first grade and its change), the same items for the city platform (第六条) and
    the same audit entries (employer_create, record_create, grade_change; one
    import_run for the load), chained after the
    head of the log, which stays locked until the transaction commits. All or
    nothing. The rows are not checked one by one: `generate` makes valid rows
    (tests/credit/test_demo_data.py, test_demo_bulk.py). Employers already in
    the credit file are refused.
    """
    import time

    from django.db import connection, transaction

    started = time.monotonic()
    if connection.vendor != "postgresql":
        raise ValueError("demo_copy writes with PostgreSQL's COPY; use demo_import elsewhere")
    with transaction.atomic():
        summary = _copy_all(
            connection, employer_rows, record_rows, actor=actor, source_name=source_name,
            as_of=as_of, progress=progress, chunk=chunk,
        )  # fmt: skip
    summary.seconds = time.monotonic() - started
    return summary


def _copy_all(
    connection: Any,
    employer_rows: list[dict[str, Any]],
    record_rows: list[dict[str, Any]],
    *,
    actor: str,
    source_name: str,
    as_of: datetime.date,
    progress: Callable[[int], None] | None,
    chunk: int,
) -> LoadSummary:
    import json
    import uuid

    from django.utils import timezone

    from laborcredit.audit.context import current_context
    from laborcredit.audit.models import GENESIS, AuditEntry, entry_hash
    from laborcredit.audit.services import HEAD_LOCK_KEY, _text, audit_append
    from laborcredit.credit.models import (
        PENALTY_DETAIL_TEXTS,
        Action,
        CreditRecord,
        Employer,
        EmployerName,
        Source,
    )
    from laborcredit.credit.services import clean_employer_fields, masked_employer_fields
    from laborcredit.exchange.services import outbox_grade_changes, outbox_records
    from laborcredit.lib.errors import Refused
    from laborcredit.lib.fieldcrypto import encrypt
    from laborcredit.rating.models import Cause, EmployerGrade, GradeChange
    from laborcredit.rating.services import basis_entries, grade_change_audit_entry, grade_records
    from laborcredit.rules.adjustment import next_change_on
    from laborcredit.rules.vocabulary import Record, RecordType

    class Version(_Named):
        """A record version as `CreditRecord`'s hash methods read it, without a model
        instance: fingerprint and content hash come from the model's own code, so they verify."""

        fact = CreditRecord.fact
        compute_fingerprint = CreditRecord.compute_fingerprint
        compute_content_hash = CreditRecord.compute_content_hash
        penalty_details = CreditRecord.penalty_details

    types = {t.value: t for t in RecordType}
    context = current_context()
    who = {
        "actor": _text(context.actor),
        "role": _text(context.role),
        "address": _text(context.address),
        "request_id": _text(context.request_id),
    }
    summary = LoadSummary(path="copy")
    by_uscc: dict[str, list[dict[str, Any]]] = {}
    for row in record_rows:
        by_uscc.setdefault(row["uscc"], []).append(row)

    employer_columns, record_columns, grade_columns, change_columns, audit_columns = (
        COPY_COLUMNS[table] for table in ("employer", "record", "grade", "change", "audit")
    )
    text_fields = ("case", "level", "document_number", "issuing_body", "description",
                   *PENALTY_DETAIL_TEXTS)  # fmt: skip

    with connection.cursor() as wrapper:
        cursor = wrapper.cursor  # psycopg's own cursor: COPY in the same transaction
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [HEAD_LOCK_KEY])
        head = AuditEntry.objects.order_by("-seq").values_list("hash", flat=True).first()
        head = head or GENESIS

        def audit(rows: list[tuple[Any, ...]], event: str, object_type: str, object_id: str,
                  data: dict[str, Any], ts: datetime.datetime) -> None:  # fmt: skip
            nonlocal head
            values = {"ts": ts, **who, "event": event, "object_type": object_type,
                      "object_id": object_id, "outcome": "success", "data": data,
                      "prev_hash": head}  # fmt: skip
            head = entry_hash(values)
            values["data"] = json.dumps(data, ensure_ascii=False)
            rows.append((*(values[c] for c in audit_columns[:-1]), head))

        for lo in range(0, len(employer_rows), chunk):
            part = employer_rows[lo : lo + chunk]
            codes = [e["uscc"] for e in part]
            taken = list(Employer.objects.filter(uscc__in=codes).values_list("uscc", flat=True)[:5])
            if taken:
                raise Refused.one(
                    "uscc",
                    f"单位 {'、'.join(taken)} 已登记：批量写入只用于没有这些单位的数据库",
                    "employer-exists",
                )
            now = timezone.now()
            ids = reserve_ids(cursor, Employer._meta.db_table, len(part))
            employers, names, entries = [], [], []
            records, grades, changes, later = [], [], [], []
            record_ids = iter(
                reserve_ids(cursor, CreditRecord._meta.db_table,
                         sum(len(by_uscc.get(c, ())) for c in codes))
            )  # fmt: skip
            for employer_id, row in zip(ids, part, strict=True):
                code = row["uscc"]
                fields = {k: v for k, v in row.items() if k != "uscc"}
                cleaned = clean_employer_fields(fields)
                stored = {"id": employer_id, "uscc": code, "created_at": now, "updated_at": now}
                stored.update(cleaned)
                stored.setdefault("employees", None)
                for secret in ("legal_rep_id_number", "contact_phone"):
                    stored[secret] = encrypt(stored.get(secret) or "")
                employers.append(tuple(stored.get(c, "") for c in employer_columns))
                names.append((employer_id, cleaned["name"], None, None, now))
                audit(entries, "employer_create", "employer", code,
                      {"after": masked_employer_fields({"uscc": code, **cleaned}), "source": source_name}, now)  # fmt: skip
                owner = _Named(uscc=code)
                seen: set[str] = set()
                rule_records = []
                for fields in by_uscc.get(code, ()):
                    values = _record_values(fields, text_fields)
                    version: Any = Version(employer=owner, **{
                        "employer_id": employer_id, "lineage": uuid.uuid4(), "version": 1,
                        "supersedes_id": None, "action": Action.CREATE.value,
                        "source": Source.IMPORT.value, "source_ref": source_name, "reason": "",
                        "entered_by": actor, "entered_at": now, "document_number": "",
                        "issuing_body": "", "description": "", "disclosure": "public",
                        **dict.fromkeys(PENALTY_DETAIL_TEXTS, ""), "fine_amount": None, **values,
                    })  # fmt: skip
                    version.fingerprint = version.compute_fingerprint()
                    if version.fingerprint in seen:
                        summary.records_skipped += 1
                        continue
                    seen.add(version.fingerprint)
                    version.id = next(record_ids)
                    version.content_hash = version.compute_content_hash()
                    records.append(tuple(getattr(version, c) for c in record_columns))
                    later.append((version.id, version, code))
                    rule_records.append(
                        Record(types[version.type], version.date, version.case or None,
                               version.correction_deadline, version.document_number or None,
                               version.passed, version.level or None)
                    )  # fmt: skip
                result = grade_records(rule_records, as_of)
                basis = basis_entries(result)
                basis_json = json.dumps(basis, ensure_ascii=False)
                grades.append((employer_id, result.grade.value, result.needs_review,
                               result.provincial_level or "", basis_json, result.rule_version,
                               result.as_of, next_change_on(rule_records, as_of),
                               Cause.RECORD.value, None, None, now))  # fmt: skip
                changes.append((employer_id, "", result.grade.value, result.needs_review,
                                basis_json, result.rule_version, result.as_of, Cause.RECORD.value,
                                None, None, None, actor, now))  # fmt: skip
                change = _Named(from_grade="", to_grade=result.grade.value,
                                needs_review=result.needs_review, as_of=result.as_of,
                                cause=Cause.RECORD.value, record_id=None, run_id=None,
                                basis=basis, rule_version=result.rule_version)  # fmt: skip
                summary.grades[result.grade.value] += 1
                summary.needs_review += result.needs_review
                later.append((None, change, code))
            # The order of the import service: employers, then records, then grade changes.
            for record_id, version, code in later:
                if record_id is not None:
                    audit(entries, "record_create", "credit_record", str(record_id), {
                        "record_hash": version.content_hash, "uscc": code,
                        "lineage": str(version.lineage), "version": 1, "type": version.type,
                        "date": version.date.isoformat(), "source": source_name,
                    }, now)  # fmt: skip
            for record_id, change, code in later:
                if record_id is None:
                    item = grade_change_audit_entry(_Named(uscc=code), change)  # type: ignore[arg-type]
                    audit(entries, item["event"], item["object_type"], item["object_id"],
                          item["data"], now)  # fmt: skip
            _copy(cursor, Employer._meta.db_table, employer_columns, employers)
            _copy(cursor, EmployerName._meta.db_table,
                  ["employer_id", "name", "used_from", "used_until", "recorded_at"], names)  # fmt: skip
            _copy(cursor, CreditRecord._meta.db_table, record_columns, records)
            _copy(cursor, EmployerGrade._meta.db_table, grade_columns, grades)
            _copy(cursor, GradeChange._meta.db_table, change_columns, changes)
            _copy(cursor, AuditEntry._meta.db_table, audit_columns, entries)
            # 第六条: the platform's copies, as the import service enqueues them (records, then
            # grade changes), built by the exchange's own code from the rows just written.
            outbox_records(
                CreditRecord.objects.filter(employer_id__in=ids)
                .select_related("employer")
                .order_by("id")
            )
            outbox_grade_changes(
                GradeChange.objects.filter(employer_id__in=ids)
                .select_related("employer")
                .order_by("id")
            )
            summary.employers += len(employers)
            summary.records += len(records)
            summary.audit_entries += len(entries)
            if progress:
                progress(len(part))
    audit_append(
        event="import_run",
        object_type="import",
        object_id=source_name[:200],
        data={"employers_created": summary.employers, "employers_updated": 0,
              "records_created": summary.records, "records_skipped": summary.records_skipped,
              "bulk": True},
    )  # fmt: skip
    summary.audit_entries += 1
    # The kept repairs (第二十一条), as the import service's regrade writes them.
    from laborcredit.repair.states import states_refresh

    states_refresh(as_of, complete=True)
    return summary


def _record_values(fields: dict[str, Any], text_fields: tuple[str, ...]) -> dict[str, Any]:
    """A generated record row as `credit_file_import` stores it (`_typed`, `_model_values`)."""
    values = {k: v for k, v in fields.items() if k != "uscc" and v is not None}
    values["date"] = datetime.date.fromisoformat(values["date"])
    deadline = values.get("correction_deadline")
    values["correction_deadline"] = datetime.date.fromisoformat(deadline) if deadline else None
    values["case"] = values.get("case") or ""
    values["level"] = values.get("level") or ""
    values.setdefault("passed", None)
    for name in text_fields:
        if isinstance(values.get(name), str):
            values[name] = values[name].strip()
    return values


_copy = copy_rows  # the benchmark dataset (benchmarks/dataset.py) writes with it too
