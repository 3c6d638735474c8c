"""Configuration comes from the environment; the suite runs on the database it names."""

import os
import subprocess
import sys

import pytest
from django.db import connection

CHECK = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='laborcredit.settings';"
    "from django.conf import settings; d=settings.DATABASES['default'];"
    "print(d['ENGINE'], d['NAME'], settings.DEBUG)"
)


def _settings_with(env, tmp_path):
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "LABORCREDIT_ENV")}
    clean["LABORCREDIT_DATA_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", CHECK], env={**clean, **env}, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_with_nothing_set_the_database_is_an_sqlite_file_in_the_data_folder(tmp_path):
    engine, name, debug = _settings_with({}, tmp_path)
    assert engine == "django.db.backends.sqlite3"
    assert name == str(tmp_path / "laborcredit.sqlite3")
    assert debug == "False"
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_a_postgres_database_url_selects_postgresql(tmp_path):
    engine, name, _ = _settings_with(
        {"DATABASE_URL": "postgres://someone@db.example:5432/laborcredit"}, tmp_path
    )
    # Django's PostgreSQL backend, with the quieter health check (laborcredit/lib/postgresql).
    assert engine == "laborcredit.lib.postgresql"
    assert name == "laborcredit"


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS")}
    result = subprocess.run(
        [sys.executable, "-c", CHECK],
        env={**clean, "LABORCREDIT_ENV": "production", "LABORCREDIT_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_the_suite_runs_on_the_database_that_database_url_names():
    expected = (
        "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    )
    assert connection.vendor == expected
