"""The base form: full-width colons, and no full ID number in free text."""

from django import forms

from laborcredit.lib.forms import ID_NUMBER_IN_TEXT, Form

ID_NUMBER = "410481199001011236"  # a valid check character (GB 11643)


class ReasonForm(Form):
    reason = forms.CharField(label="原因", widget=forms.Textarea)
    legal_rep_id_number = forms.CharField(label="法定代表人身份证号码", required=False)
    password = forms.CharField(label="密码", required=False, widget=forms.PasswordInput)


def test_labels_end_in_a_full_width_colon():
    assert "原因：" in str(ReasonForm()["reason"].label_tag())


def test_a_full_id_number_in_free_text_is_refused_beside_its_field():
    form = ReasonForm({"reason": f"法定代表人 {ID_NUMBER} 已整改"})
    assert not form.is_valid()
    assert form.errors["reason"] == [ID_NUMBER_IN_TEXT]


def test_a_masked_number_in_free_text_is_accepted():
    assert ReasonForm({"reason": "法定代表人 410481********1236 已整改"}).is_valid()


def test_the_id_number_field_itself_and_a_password_are_not_free_text():
    assert ReasonForm(
        {"reason": "已整改", "legal_rep_id_number": ID_NUMBER, "password": ID_NUMBER}
    ).is_valid()


class BoundsForm(Form):
    name = forms.CharField(label="名称", max_length=4)
    count = forms.IntegerField(label="数量", min_value=1)
    kind = forms.ChoiceField(label="类型", choices=[("a", "甲")])


def test_bounds_and_choices_are_refused_in_plain_chinese():
    form = BoundsForm({"name": "舞钢市人社局", "count": "0", "kind": "z"})
    assert not form.is_valid()
    assert form.errors["name"] == ["不能超过 4 个字符（现为 6 个）"]
    assert form.errors["count"] == ["不能小于 1"]
    assert form.errors["kind"] == ["所选项不在可选范围内，请重新选择"]


class AmountForm(Form):
    amount = forms.DecimalField(label="罚款金额", max_digits=5, decimal_places=2)
    day = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))


def test_amounts_are_refused_in_plain_chinese():
    assert AmountForm({"amount": "1.234", "day": "2026-11-01"}).errors["amount"] == [
        "小数不能超过 2 位"
    ]
    assert AmountForm({"amount": "1234.567", "day": "2026-11-01"}).errors["amount"] == [
        "数字总共不能超过 5 位"
    ]
    assert AmountForm({"amount": "1234.5", "day": "2026-11-01"}).errors["amount"] == [
        "整数部分不能超过 3 位"
    ]


def test_a_date_box_is_given_its_date_as_it_reads_it():
    """<input type="date"> reads YYYY-MM-DD only; the zh-hans locale would write 2026/11/01."""
    import datetime

    field = AmountForm(initial={"day": datetime.date(2026, 11, 1)})["day"]
    assert 'value="2026-11-01"' in str(field)
