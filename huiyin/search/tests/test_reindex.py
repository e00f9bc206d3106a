"""`search_reindex`: builds the index for existing cases, resumes, rebuilds, prunes."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from huiyin.search.backends import Row, backend
from huiyin.search.selectors import case_search
from huiyin.search.services import cases_unindex


def indexed_ids():
    table, id_col, _version = backend().indexed_table()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {id_col} FROM {table} ORDER BY 1")  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


@pytest.fixture
def cases(make_case):
    return [make_case(subject=f"食堂问题{i}", content="食堂饭菜贵。") for i in range(5)]


def run(*args):
    out = StringIO()
    call_command("search_reindex", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_registration_indexes_and_reindex_fills_the_gaps(cases, office):
    assert indexed_ids() == sorted(c.pk for c in cases)
    cases_unindex(case_ids=[cases[1].pk, cases[3].pk])
    assert len(case_search(user=office, q="食堂").hits) == 3
    assert "indexed 2 cases" in run("--batch", "1")
    assert indexed_ids() == sorted(c.pk for c in cases)
    assert "indexed 0 cases" in run()  # resumable: nothing left to do


def test_after_and_rebuild(cases):
    cases_unindex(case_ids=[c.pk for c in cases])
    assert "indexed 3 cases" in run("--after", str(cases[1].pk))
    assert indexed_ids() == sorted(c.pk for c in cases[2:])
    assert "indexed 5 cases" in run("--rebuild", "--batch", "2")


def test_workers_segment_in_parallel(cases):
    cases_unindex(case_ids=[c.pk for c in cases])
    assert "indexed 5 cases" in run("--workers", "2", "--batch", "2")
    assert indexed_ids() == sorted(c.pk for c in cases)


def test_prune_removes_rows_of_missing_cases(cases):
    with connection.cursor() as cursor:
        backend().upsert(cursor, [Row(case_id=10**9, subject="食堂", content="", replies="")])
    assert 10**9 in indexed_ids()
    assert "removed 1 rows" in run("--prune")
    assert 10**9 not in indexed_ids()


def test_bad_arguments_are_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("search_reindex", "--batch", "0")


def test_migrate_indexes_a_few_missing_cases(cases, capsys):
    from huiyin.search.services import search_index_after_migrate

    cases_unindex(case_ids=[c.pk for c in cases])
    search_index_after_migrate(sender=None)
    assert indexed_ids() == sorted(c.pk for c in cases)
    assert "Indexed 5 cases" in capsys.readouterr().out


@override_settings(HUIYIN_SEARCH_AUTO_INDEX_MAX=2)
def test_migrate_only_points_to_the_command_for_many(cases, capsys):
    from huiyin.search.services import search_index_after_migrate

    cases_unindex(case_ids=[c.pk for c in cases])
    search_index_after_migrate(sender=None)
    assert indexed_ids() == []
    assert "search_reindex" in capsys.readouterr().out


def test_rows_of_an_older_segmentation_are_rewritten(make_case, office, capsys):
    """Issue #5: decimals became one term (INDEX_VERSION 2); rows written before are found again
    after `migrate` (few cases) or `search_reindex --stale`."""
    from huiyin.search.backends import INDEX_VERSION
    from huiyin.search.services import search_index_after_migrate

    case = make_case(subject="夜班补贴", content="每小时3.5元。")
    table, id_col, version_col = backend().indexed_table()
    with connection.cursor() as cursor:  # as version 1 wrote it: the decimal as two numbers
        backend().delete(cursor, [case.pk])
        backend().upsert(
            cursor, [Row(case_id=case.pk, subject="夜班 班补 补贴", content="每小 小时 元 3 5", replies="")]
        )
        cursor.execute(f"UPDATE {table} SET {version_col} = 1 WHERE {id_col} = %s", [case.pk])  # noqa: S608
    assert [h.case.pk for h in case_search(user=office, q="3.5").hits] == []
    search_index_after_migrate(sender=None)
    assert "Indexed 1 cases" in capsys.readouterr().out
    assert [h.case.pk for h in case_search(user=office, q="3.5").hits] == [case.pk]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {version_col} FROM {table} WHERE {id_col} = %s", [case.pk])  # noqa: S608
        assert cursor.fetchone()[0] == INDEX_VERSION


def test_rows_written_before_repeats_were_collapsed_are_rewritten(make_case, office, capsys):
    """INDEX_VERSION 3: a case's repeated passages are indexed once. A pasted paragraph indexed by
    version 2, every copy's terms in its row, ranked first until `migrate` (few cases) or
    `search_reindex --stale` rewrote the row."""
    from huiyin.nlp.segment import index_terms
    from huiyin.search.services import search_index_after_migrate

    paragraph = "职工食堂饭菜价格越来越高，分量越来越少，请领导重视解决。"
    pasted = make_case(subject="反映职工诉求", content=paragraph * 300)
    about = make_case(subject="伙食问题", content="食堂饭菜涨价。")
    make_case(subject="宿舍漏水", content="宿舍漏水，无人处理。")
    table, id_col, version_col = backend().indexed_table()
    with connection.cursor() as cursor:  # as version 2 wrote it: every copy segmented
        backend().upsert(
            cursor,
            [
                Row(
                    case_id=pasted.pk,
                    subject=index_terms(f"{pasted.case_no} 反映职工诉求"),
                    content=index_terms(pasted.content),
                    replies="",
                )
            ],
        )
        cursor.execute(f"UPDATE {table} SET {version_col} = 2 WHERE {id_col} = %s", [pasted.pk])  # noqa: S608
    assert [h.case.pk for h in case_search(user=office, q="饭菜").hits] == [pasted.pk, about.pk]

    search_index_after_migrate(sender=None)

    assert "Indexed 1 cases" in capsys.readouterr().out
    assert [h.case.pk for h in case_search(user=office, q="饭菜").hits] == [about.pk, pasted.pk]
