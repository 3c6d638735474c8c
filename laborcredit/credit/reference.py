"""Reference lists an officer picks from: Wugang's townships, GB/T 4754-2017 industries and the
kinds of administrative penalty."""

from __future__ import annotations

TOWNSHIPS = (
    "垭口街道",
    "寺坡街道",
    "院岭街道",
    "矿建街道",
    "朱兰街道",
    "尚店镇",
    "八台镇",
    "尹集镇",
    "枣林镇",
    "武功乡",
    "杨庄乡",
    "庙街乡",
    "铁山乡",
)
"""舞钢市 streets, towns and townships (乡镇、街道) as the bureau files them."""

INDUSTRY_SECTIONS = {
    "A": "农、林、牧、渔业",
    "B": "采矿业",
    "C": "制造业",
    "D": "电力、热力、燃气及水生产和供应业",
    "E": "建筑业",
    "F": "批发和零售业",
    "G": "交通运输、仓储和邮政业",
    "H": "住宿和餐饮业",
    "I": "信息传输、软件和信息技术服务业",
    "J": "金融业",
    "K": "房地产业",
    "L": "租赁和商务服务业",
    "M": "科学研究和技术服务业",
    "N": "水利、环境和公共设施管理业",
    "O": "居民服务、修理和其他服务业",
    "P": "教育",
    "Q": "卫生和社会工作",
    "R": "文化、体育和娱乐业",
    "S": "公共管理、社会保障和社会组织",
    "T": "国际组织",
}
"""GB/T 4754-2017 门类 (sections). An employer's industry code is a section letter,
optionally followed by the 2-digit division (大类), e.g. C31."""

INDUSTRY_DIVISIONS = {
    "C13": "农副食品加工业",
    "C17": "纺织业",
    "C18": "纺织服装、服饰业",
    "C26": "化学原料和化学制品制造业",
    "C30": "非金属矿物制品业",
    "C31": "黑色金属冶炼和压延加工业",
    "C33": "金属制品业",
    "C34": "通用设备制造业",
    "C35": "专用设备制造业",
    "C38": "电气机械和器材制造业",
    "E47": "房屋建筑业",
    "E48": "土木工程建筑业",
    "E50": "建筑装饰、装修和其他建筑业",
    "F51": "批发业",
    "F52": "零售业",
    "G54": "道路运输业",
    "H61": "住宿业",
    "H62": "餐饮业",
    "K70": "房地产业",
    "L72": "商务服务业",
    "O80": "居民服务业",
    "P83": "教育",
    "Q84": "卫生",
}

REGISTRATION_TYPES = (
    "国有企业",
    "集体企业",
    "有限责任公司",
    "股份有限公司",
    "私营企业",
    "个人独资企业",
    "合伙企业",
    "外商投资企业",
    "港澳台商投资企业",
    "个体工商户",
    "民办非企业单位",
    "事业单位",
    "社会团体",
    "其他",
)


DIVISION_RANGES = {
    "A": (1, 5), "B": (6, 12), "C": (13, 43), "D": (44, 46), "E": (47, 50), "F": (51, 52),
    "G": (53, 60), "H": (61, 62), "I": (63, 65), "J": (66, 69), "K": (70, 70), "L": (71, 72),
    "M": (73, 75), "N": (76, 79), "O": (80, 82), "P": (83, 83), "Q": (84, 85), "R": (86, 90),
    "S": (91, 97), "T": (98, 98),
}  # fmt: skip
"""GB/T 4754-2017: the 大类 (two-digit divisions) each 门类 holds."""


def industry_name(code: str) -> str | None:
    """The GB/T 4754 name for a section (C) or division (C31) code; None when unknown."""
    code = code.strip().upper()
    if len(code) == 1:
        return INDUSTRY_SECTIONS.get(code)
    if len(code) == 3 and code[0] in DIVISION_RANGES and code[1:].isdigit():
        first, last = DIVISION_RANGES[code[0]]
        if first <= int(code[1:]) <= last:
            return INDUSTRY_DIVISIONS.get(code, INDUSTRY_SECTIONS[code[0]])
    return None


PENALTY_CATEGORIES = (
    "警告",
    "通报批评",
    "罚款",
    "没收违法所得",
    "没收非法财物",
    "暂扣许可证件",
    "降低资质等级",
    "吊销许可证件",
    "限制开展生产经营活动",
    "责令停产停业",
    "责令关闭",
    "限制从业",
    "行政拘留",
    "其他行政处罚",
)
"""《中华人民共和国行政处罚法》（2021年修订）第九条's kinds of penalty, in its order: the 处罚类别
of a 行政处罚 record as 双公示 publishes it (one decision may impose several)."""
