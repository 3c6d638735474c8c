"""Every page opened as it is in production: no test transaction around the request.

The other page tests run inside one transaction, which hides a write that needs
its own (an audit entry written outside `transaction.atomic()` is refused by
the audit service and became a 500 on the joint-punishment list). Here each
role opens each page it may, on a database in autocommit, with personal
information to show and a blacklisted employer on the joint-punishment list.
"""

import datetime

from laborcredit.credit.services import record_create
from tests.accounts.helpers import make_user
from tests.factories import EmployerFactory, make_uscc
from tests.web.test_permission_matrix import MATRIX, objects  # noqa: F401 (a fixture)


def test_each_role_opens_each_page_it_may_without_a_server_error(transactional_db, client, objects):  # noqa: F811
    listed = EmployerFactory(uscc=make_uscc(8391), legal_rep_name="王五")
    day = datetime.date.today() - datetime.timedelta(days=20)
    record_create(employer=listed, type="blacklist_listed", date=day, actor="officer")
    errors = []
    for role in ("credit_officer", "inspector", "leadership", "licensing_window", "audit_admin",
                 "system_admin", "security_admin"):  # fmt: skip
        client.force_login(make_user(f"auto_{role}", role))
        for name, method, template, allowed in MATRIX:
            if method != "GET" or role not in allowed:
                continue
            status = client.get(template.format(**objects)).status_code
            if status >= 500:
                errors.append(f"{role} {name}: {status}")
    assert errors == []
