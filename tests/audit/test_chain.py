"""verify and checkpoint (AU3): the tamper probes of security.md, each caught at its place."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import stat

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.contrib.auth.models import Group
from django.db import connection, transaction

from laborcredit.audit import chain
from laborcredit.audit.chain import (
    ChainBroken,
    Checkpoint,
    HashedModel,
    checkpoint,
    register_hashed_model,
    signed_message,
    verify,
)
from laborcredit.audit.models import GENESIS, entry_hash
from laborcredit.audit.services import audit_append
from tests.audit.helpers import Attacker, append_entries

pytestmark = pytest.mark.django_db


@pytest.fixture
def attacker():
    return Attacker()


def seqs(entries):
    return [e.seq for e in entries]


def test_an_empty_log_verifies():
    result = verify()
    assert result.ok
    assert (result.length, result.head_hash, result.first_bad_seq) == (0, GENESIS, None)


def test_an_untouched_log_verifies_and_names_its_head():
    entries = append_entries(5)
    result = verify()
    assert result.ok, result.problem
    assert result.length == 5
    assert result.head_hash == entries[-1].hash
    assert result.problem == ""


def test_verify_reads_the_log_a_chunk_at_a_time(monkeypatch):
    monkeypatch.setattr(chain, "CHUNK", 3)
    entries = append_entries(8)
    result = verify()
    assert result.ok and result.length == 8 and result.head_hash == entries[-1].hash


# ---------------------------------------------------------------- tamper probes


def test_an_edited_field_fails_at_that_entry():
    entries = append_entries(5)
    Attacker().update(entries[2].seq, actor="李四")
    result = verify()
    assert not result.ok
    assert result.first_bad_seq == entries[2].seq
    assert result.problem.startswith(f"第 {entries[2].seq} 条的内容与其哈希不符")


def test_an_edited_data_value_fails_at_that_entry():
    entries = append_entries(4)
    Attacker().update(entries[1].seq, data={"type": "wage_arrears", "note": "改过"})
    assert verify().first_bad_seq == entries[1].seq


def test_an_edited_timestamp_fails_at_that_entry():
    entries = append_entries(3)
    Attacker().update(entries[0].seq, ts=entries[0].ts.replace(year=2020))
    assert verify().first_bad_seq == entries[0].seq


def test_a_deleted_row_breaks_the_link_of_the_next_entry():
    entries = append_entries(5)
    Attacker().delete(entries[2].seq)
    result = verify()
    assert not result.ok
    assert result.first_bad_seq == entries[3].seq
    assert f"第 {entries[1].seq} 条" in result.problem
    assert "删除" in result.problem


def test_a_deleted_first_row_breaks_the_link_of_the_second():
    entries = append_entries(3)
    Attacker().delete(entries[0].seq)
    assert verify().first_bad_seq == entries[1].seq


def test_a_forged_row_inserted_into_a_gap_is_named_as_the_forgery():
    before = append_entries(3)
    attacker = Attacker()
    attacker.skip_sequence(5)
    after = append_entries(2)
    attacker.drop_unique_constraints()
    forged_seq = before[-1].seq + 2
    assert forged_seq < after[0].seq
    row = attacker.row(before[-1].seq) | {"actor": "伪造者", "prev_hash": before[-1].hash}
    row["hash"] = entry_hash(row)
    attacker.insert(seq=forged_seq, **{k: v for k, v in row.items() if k != "seq"})
    result = verify()
    assert not result.ok
    assert result.first_bad_seq == forged_seq
    assert "伪造" in result.problem


def test_a_forged_row_with_a_made_up_hash_fails_at_that_row():
    entries = append_entries(3)
    attacker = Attacker()
    row = attacker.row(entries[-1].seq) | {"prev_hash": entries[-1].hash, "hash": "f" * 64}
    attacker.insert(seq=entries[-1].seq + 1, **{k: v for k, v in row.items() if k != "seq"})
    assert verify().first_bad_seq == entries[-1].seq + 1


def test_two_swapped_rows_fail_at_the_first_of_them():
    entries = append_entries(6)
    Attacker().swap(entries[1].seq, entries[4].seq)
    result = verify()
    assert not result.ok
    assert result.first_bad_seq == entries[1].seq


def test_two_swapped_neighbours_fail_at_the_first_of_them():
    entries = append_entries(4)
    Attacker().swap(entries[1].seq, entries[2].seq)
    assert verify().first_bad_seq == entries[1].seq


def test_a_whole_chain_rewritten_with_fresh_hashes_passes_without_a_checkpoint():
    entries = append_entries(5)
    attacker = Attacker()
    attacker.update(entries[1].seq, actor="李四")
    attacker.rehash_from(entries[1].seq)
    result = verify()
    assert result.first_bad_seq is None
    assert all("触发器" in p for p in result.problems)


def test_a_whole_chain_rewritten_with_fresh_hashes_is_caught_by_the_checkpoint():
    entries = append_entries(5)
    made = checkpoint()
    append_entries(2)
    attacker = Attacker()
    attacker.update(entries[1].seq, actor="李四")
    attacker.rehash_from(entries[0].seq)
    result = verify()
    assert not result.ok
    assert result.first_bad_seq == made.seq == entries[-1].seq
    assert result.problem.startswith(f"第 {made.seq} 条与检查点")
    assert "改写" in result.problem


def test_the_tail_cut_off_after_a_checkpoint_is_caught():
    entries = append_entries(6)
    made = checkpoint()
    Attacker().delete(entries[4].seq, entries[5].seq)
    result = verify()
    assert not result.ok
    assert result.first_bad_seq == made.seq
    assert "截断" in result.problem
    assert f"止于第 {entries[3].seq} 条" in result.problem


def test_a_corrupted_checkpoint_signature_fails(audit_files):
    append_entries(3)
    made = checkpoint()
    line = json.loads(audit_files.checkpoints.read_text())
    signature = bytearray(base64.b64decode(line["signature"]))
    signature[0] ^= 1
    line["signature"] = base64.b64encode(bytes(signature)).decode()
    audit_files.checkpoints.write_text(json.dumps(line) + "\n")
    result = verify()
    assert not result.ok
    assert result.first_bad_seq == made.seq
    assert "签名无效" in result.problem
    assert result.checkpoints == 0


def test_a_checkpoint_with_an_edited_count_fails_its_signature(audit_files):
    append_entries(3)
    checkpoint()
    line = json.loads(audit_files.checkpoints.read_text())
    line["count"] = 2
    audit_files.checkpoints.write_text(json.dumps(line) + "\n")
    assert "签名无效" in verify().problem


def test_a_checkpoint_signed_with_another_key_is_refused(audit_files):
    entries = append_entries(3)
    checkpoint()
    other = Ed25519PrivateKey.generate()
    from laborcredit.audit.chain import _public_bytes

    created = "2030-01-01T00:00:00.000000+00:00"
    forged = Checkpoint(
        seq=entries[-1].seq,
        count=3,
        head_hash="e" * 64,
        created_at=created,
        public_key=base64.b64encode(_public_bytes(other.public_key())).decode(),
        signature=base64.b64encode(
            other.sign(signed_message(entries[-1].seq, 3, "e" * 64, created))
        ).decode(),
    )
    audit_files.checkpoints.write_text(forged.to_json() + "\n")
    result = verify()
    assert not result.ok
    assert "公钥与配置的签名密钥不符" in result.problem


def test_an_unreadable_checkpoint_line_fails(audit_files):
    append_entries(1)
    checkpoint()
    with audit_files.checkpoints.open("a") as handle:
        handle.write("{not json\n")
    result = verify()
    assert not result.ok and "第 2 行无法解析" in result.problem


# ---------------------------------------------------------------- checkpoints


def test_a_checkpoint_signs_the_head_and_its_signature_verifies(audit_files):
    entries = append_entries(4)
    made = checkpoint()
    assert (made.seq, made.count, made.head_hash) == (entries[-1].seq, 4, entries[-1].hash)
    lines = audit_files.checkpoints.read_text().splitlines()
    assert len(lines) == 1
    stored = json.loads(lines[0])
    assert stored["algorithm"] == "Ed25519"
    public = chain.signing_key().public_key()
    public.verify(base64.b64decode(stored["signature"]), made.signed_message())
    assert base64.b64decode(stored["public_key"]) == chain._public_bytes(public)
    result = verify()
    assert result.ok and result.checkpoints == 1


def test_checkpoints_append_one_line_each_and_all_are_verified(audit_files):
    append_entries(2)
    checkpoint()
    append_entries(2)
    checkpoint()
    assert len(audit_files.checkpoints.read_text().splitlines()) == 2
    assert verify().checkpoints == 2


def test_a_checkpoint_of_an_empty_log_verifies():
    made = checkpoint()
    assert (made.seq, made.count, made.head_hash) == (0, 0, GENESIS)
    append_entries(1)
    assert verify().ok


def test_the_signing_key_is_made_on_first_use_readable_by_its_owner_only(audit_files):
    assert not audit_files.key.exists()
    checkpoint()
    mode = stat.S_IMODE(os.stat(audit_files.key).st_mode)
    assert mode == 0o600
    assert audit_files.key.read_text().startswith("-----BEGIN PRIVATE KEY-----")


def test_the_signing_key_is_nowhere_in_the_database(audit_files):
    append_entries(2)
    checkpoint()
    with transaction.atomic():
        audit_append(event="audit_checkpoint", data={"file": str(audit_files.checkpoints)})
    pem = audit_files.key.read_text()
    secret = "".join(pem.splitlines()[1:-1])
    raw = chain.signing_key().private_bytes_raw()
    needles = {secret, base64.b64encode(raw).decode(), raw.hex()}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')
            text = repr(cursor.fetchall())
            for needle in needles:
                assert needle not in text, table
    assert secret not in audit_files.checkpoints.read_text()


def test_the_signing_key_comes_from_the_setting(settings, tmp_path):
    key = Ed25519PrivateKey.generate()
    from cryptography.hazmat.primitives import serialization

    path = tmp_path / "elsewhere.pem"
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    settings.LABORCREDIT_AUDIT_SIGNING_KEY = path
    made = checkpoint()
    assert base64.b64decode(made.public_key) == chain._public_bytes(key.public_key())


def test_no_checkpoint_is_signed_for_a_tampered_chain(audit_files):
    entries = append_entries(3)
    Attacker().update(entries[1].seq, role="auditor")
    with pytest.raises(ChainBroken) as broken:
        checkpoint()
    assert broken.value.result.first_bad_seq == entries[1].seq
    assert not audit_files.checkpoints.exists()


def test_checkpoints_can_be_verified_from_a_copy_kept_elsewhere(audit_files, tmp_path):
    append_entries(2)
    checkpoint()
    copy = tmp_path / "offsite.jsonl"
    copy.write_text(audit_files.checkpoints.read_text())
    audit_files.checkpoints.unlink()
    assert verify().checkpoints == 0
    assert verify(checkpoint_path=copy).checkpoints == 1


# ---------------------------------------------------------------- hashed records (DT3)


def group_hash(group):
    return hashlib.sha256(group.name.encode()).hexdigest()


@pytest.fixture
def groups_registered(monkeypatch):
    """Group stands in for an append-only record table of another app."""
    Group.objects.all().delete()  # the roles' groups (accounts migration) were written by no service
    monkeypatch.setattr(chain, "hashed_models", {})
    register_hashed_model("group", Group, group_hash, append_only=False)
    return chain.hashed_models["group"]


def group_create(name):
    with transaction.atomic():
        group = Group.objects.create(name=name)
        audit_append(
            event="record_create",
            object_type="group",
            object_id=group.pk,
            data={"record_hash": group_hash(group)},
        )
    return group


def test_registered_records_that_match_their_entries_verify(groups_registered):
    for name in ("甲", "乙", "丙"):
        group_create(name)
    assert isinstance(groups_registered, HashedModel)
    assert verify().ok


def test_a_record_edited_out_of_band_is_caught(groups_registered):
    group_create("甲")
    edited = group_create("乙")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE auth_group SET name = %s WHERE id = %s", ["丁", edited.pk])
    result = verify()
    assert not result.ok
    assert f" {edited.pk}（group）" in result.problem
    assert "被修改" in result.problem


def test_a_record_with_no_audit_entry_is_caught(groups_registered):
    group_create("甲")
    stray = Group.objects.create(name="无登记")
    result = verify()
    assert not result.ok
    assert f"{stray.pk}（group）在审计日志中没有登记" in result.problem


def test_a_record_deleted_out_of_band_is_caught(groups_registered):
    gone = group_create("甲")
    entry_seq = verify().last_seq
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM auth_group WHERE id = %s", [gone.pk])
    result = verify()
    assert not result.ok
    assert result.first_bad_seq == entry_seq
    assert "被删除" in result.problem


def test_registered_records_are_read_a_chunk_at_a_time(groups_registered, monkeypatch):
    monkeypatch.setattr(chain, "CHUNK", 2)
    for number in range(5):
        group_create(f"组{number}")
    assert verify().ok


def test_a_registered_append_only_table_without_its_triggers_is_reported(monkeypatch):
    Group.objects.all().delete()  # the roles' groups (accounts migration)
    monkeypatch.setattr(chain, "hashed_models", {})
    register_hashed_model("group", Group.objects.all(), group_hash)
    result = verify()
    assert not result.ok
    assert "auth_group" in result.problem and "触发器" in result.problem


def test_any_history_table_a_migration_made_append_only_is_checked_for_its_triggers():
    from django.db import connection

    from laborcredit.lib.appendonly import append_only_tables, installed_triggers

    tables = append_only_tables(connection)
    assert {"rating_gradechange", "rating_reviewdecision", "workdays_yeararrangement"} <= set(
        tables
    )
    with connection.cursor() as cursor:
        for trigger in installed_triggers(connection):
            if trigger.table == "rating_gradechange":
                if connection.vendor == "postgresql":
                    cursor.execute(f'DROP TRIGGER "{trigger.name}" ON "{trigger.table}"')
                else:
                    cursor.execute(f'DROP TRIGGER "{trigger.name}"')
    result = verify()
    assert not result.ok
    assert "rating_gradechange" in result.problem and "信用等级变化记录" in result.problem


def test_missing_audit_triggers_are_reported(attacker):
    result = verify()
    assert not result.ok
    assert "audit_entry" in result.problem and "触发器" in result.problem


def test_checkpoints_cannot_be_trusted_when_the_signing_key_is_gone(audit_files):
    append_entries(1)
    checkpoint()
    audit_files.key.unlink()
    result = verify()
    assert not result.ok
    assert "找不到审计检查点签名密钥" in result.problem


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's pattern indexes")
def test_the_chain_keeps_its_unique_hashes_without_prefix_indexes():
    """Migrations audit 0002 and credit 0007: no LIKE-prefix index to keep current on every
    append or record filed; the uniqueness of hash and prev_hash (no fork in the chain) kept."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexdef FROM pg_indexes "
            "WHERE tablename IN ('audit_entry', 'credit_creditrecord') ORDER BY indexname"
        )
        found = cursor.fetchall()
    assert not [d for _, d in found if "pattern_ops" in d]
    assert any('("case")' in d for table, d in found if table == "credit_creditrecord")
    definitions = [d for table, d in found if table == "audit_entry"]
    assert any("UNIQUE" in d and "(hash)" in d for d in definitions)
    assert any("UNIQUE" in d and "(prev_hash)" in d for d in definitions)
