"""AC1: the roles as groups with permissions, and 三员分立."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from laborcredit.accounts.roles import ROLES
from laborcredit.accounts.services import role_assign
from laborcredit.lib.errors import Refused
from tests.accounts.helpers import make_user

pytestmark = pytest.mark.django_db


def test_every_role_is_a_group_holding_exactly_its_permissions():
    for role in ROLES.values():
        group = Group.objects.get(name=role.code)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert held == set(role.permissions)


@pytest.mark.parametrize(
    "first,second",
    [
        ("system_admin", "security_admin"),
        ("system_admin", "audit_admin"),
        ("security_admin", "audit_admin"),
        ("audit_admin", "system_admin"),
    ],
)
def test_two_of_the_three_administrators_in_one_account_are_refused(first, second):
    user = make_user("admin2", first)
    with pytest.raises(Refused) as refused:
        role_assign(user=user, role=second, actor=None)
    assert refused.value.codes == ["separation-of-duties"]
    assert list(user.groups.values_list("name", flat=True)) == [first]


def test_the_database_guard_refuses_even_without_the_service():
    user = make_user("admin2", "system_admin")
    with pytest.raises(Refused) as refused, transaction.atomic():
        user.groups.add(Group.objects.get(name="audit_admin"))
    assert refused.value.codes == ["separation-of-duties"]
    with pytest.raises(Refused), transaction.atomic():
        Group.objects.get(name="security_admin").user_set.add(user)
    assert list(user.groups.values_list("name", flat=True)) == ["system_admin"]


ADMINISTRATORS = ["system_admin", "security_admin", "audit_admin"]
BUSINESS = ["credit_officer", "inspector", "licensing_window", "leadership"]


@pytest.mark.parametrize("administrator", ADMINISTRATORS)
@pytest.mark.parametrize("business", BUSINESS)
def test_an_administrator_is_given_no_business_role(administrator, business):
    user = make_user("admin2", administrator)
    with pytest.raises(Refused) as refused:
        role_assign(user=user, role=business, actor=None)
    assert refused.value.codes == ["separation-of-duties"]
    assert list(user.groups.values_list("name", flat=True)) == [administrator]


@pytest.mark.parametrize("administrator", ADMINISTRATORS)
@pytest.mark.parametrize("business", BUSINESS)
def test_a_holder_of_a_business_role_is_given_no_administrator_role(administrator, business):
    user = make_user("officer", business)
    with pytest.raises(Refused) as refused:
        role_assign(user=user, role=administrator, actor=None)
    assert refused.value.codes == ["separation-of-duties"]
    assert list(user.groups.values_list("name", flat=True)) == [business]


def test_the_refusal_names_both_roles_in_chinese():
    sysadmin = make_user("sysadmin", "system_admin")
    with pytest.raises(Refused) as refused:
        role_assign(user=sysadmin, role="credit_officer", actor=None)
    assert refused.value.problems[0].message.startswith("三员分立：系统管理员不能兼任信用管理员")
    officer = make_user("officer", "credit_officer")
    with pytest.raises(Refused) as refused:
        role_assign(user=officer, role="audit_admin", actor=None)
    assert refused.value.problems[0].message.startswith("三员分立：审计管理员不能兼任信用管理员")


def test_business_roles_may_still_be_combined():
    user = make_user("lingdao", "leadership", "credit_officer")
    assert set(user.groups.values_list("name", flat=True)) == {"leadership", "credit_officer"}


def test_the_database_guard_refuses_a_business_role_to_an_administrator_either_way():
    sysadmin = make_user("sysadmin", "system_admin")
    officer = make_user("officer", "credit_officer")
    with pytest.raises(Refused) as refused, transaction.atomic():
        sysadmin.groups.add(Group.objects.get(name="credit_officer"))
    assert refused.value.codes == ["separation-of-duties"]
    with pytest.raises(Refused), transaction.atomic():
        Group.objects.get(name="credit_officer").user_set.add(sysadmin)
    with pytest.raises(Refused), transaction.atomic():
        Group.objects.get(name="audit_admin").user_set.add(officer)
    with pytest.raises(Refused), transaction.atomic():
        make_user("fresh").groups.add(*Group.objects.filter(name__in=["audit_admin", "inspector"]))
    assert list(sysadmin.groups.values_list("name", flat=True)) == ["system_admin"]
    assert list(officer.groups.values_list("name", flat=True)) == ["credit_officer"]
    assert not Group.objects.filter(name__in=["audit_admin", "inspector"], user__username="fresh")


def test_the_system_administrator_given_no_credit_role_cannot_read_credit_files():
    sysadmin = make_user("sysadmin", "system_admin")
    with pytest.raises(Refused):
        role_assign(
            user=sysadmin, role="credit_officer", actor=make_user("anquan", "security_admin")
        )
    sysadmin = get_user_model().objects.get(pk=sysadmin.pk)
    assert not sysadmin.has_perm("credit.view_employer")


def test_the_system_administrator_manages_accounts_but_sees_no_credit_data():
    user = make_user("sysadmin", "system_admin")
    assert user.has_perm("auth.add_user") and user.has_perm("auth.change_user")
    assert not user.has_perm("credit.view_employer")
    assert not user.has_perm("credit.view_creditrecord")
    assert not user.has_perm("audit.view_auditentry")
    assert not user.has_perm("accounts.assign_roles")


def test_the_audit_administrator_holds_one_permission():
    user = make_user("auditor", "audit_admin")
    assert user.get_all_permissions() == {"audit.view_auditentry"}


def test_the_security_administrator_assigns_roles_only():
    user = make_user("secadmin", "security_admin")
    assert user.has_perm("accounts.assign_roles")
    assert not user.has_perm("auth.add_user")
    assert not user.has_perm("credit.view_employer")


def test_a_credit_officer_drafts_runs_and_leadership_approves_them():
    officer = make_user("officer", "credit_officer")
    leader = make_user("leader", "leadership")
    assert officer.has_perm("rating.add_evaluationrun")
    assert not officer.has_perm("rating.approve_evaluationrun")
    assert leader.has_perm("rating.approve_evaluationrun")
    assert not make_user("window", "licensing_window").has_perm("credit.view_creditrecord")


@pytest.mark.django_db
def test_the_role_groups_come_back_after_a_flush_which_sends_no_apps():
    from django.apps import apps
    from django.contrib.auth.models import Group

    from laborcredit.accounts.signals import keep_roles

    Group.objects.all().delete()
    keep_roles(sender=apps.get_app_config("accounts"), using="default")  # as flush sends it
    assert Group.objects.filter(name="credit_officer").exists()
    assert Group.objects.get(name="leadership").permissions.filter(codename="view_dashboard")


def employer_user():
    """An employer's portal account (第十八条), named employer:<统一社会信用代码>."""
    from laborcredit.portal.services import employer_account_create
    from tests.factories import EmployerFactory

    account, _ = employer_account_create(employer=EmployerFactory(), actor=None)
    return get_user_model().objects.get(pk=account.user_id)


@pytest.mark.parametrize("role", sorted(ROLES))
def test_an_employer_portal_account_is_given_no_role(role):
    employer = employer_user()
    assert employer.username.startswith("employer:")
    with pytest.raises(Refused) as refused:
        role_assign(user=employer, role=role, actor=make_user("anquan", "security_admin"))
    assert refused.value.codes == ["employer-account"]
    assert ROLES[role].label in refused.value.problems[0].message
    assert not employer.groups.exists()


def test_the_database_guard_gives_an_employer_portal_account_no_role_either_way():
    employer = employer_user()
    with pytest.raises(Refused) as refused, transaction.atomic():
        employer.groups.add(Group.objects.get(name="credit_officer"))
    assert refused.value.codes == ["employer-account"]
    with pytest.raises(Refused), transaction.atomic():
        Group.objects.get(name="inspector").user_set.add(employer)
    assert not employer.groups.exists()
