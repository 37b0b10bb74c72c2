"""The database connection ends (pg_terminate_backend) in the middle of the goal editor's
save: the person gets a 503 page saying nothing was saved, the log says why, and the sheet is
exactly as it was, not half-written."""

import logging

import psycopg
import pytest
from django.db import connection
from django.db.models.signals import post_save
from django.test import Client
from django.urls import reverse

from goalsapp.models import Goal
from tests.deploy import processes
from tests.page_helpers import editor, fresh, goal_texts, login

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True),
              pytest.mark.usefixtures("postgresql_only")]


def _terminate_own_backend_after_first_goal(calls: list):
    """A post_save receiver that, after the first goal is written, ends this very connection
    from a second one and waits (up to 10 s) until the server has closed it."""
    def receiver(sender, instance, **kwargs):
        calls.append(instance.pk)
        if len(calls) == 1:
            pid = connection.connection.info.backend_pid
            with psycopg.connect(processes.test_database_url(), autocommit=True) as killer:
                assert killer.execute("SELECT pg_terminate_backend(%s, 10000)",
                                      [pid]).fetchone()[0]
    return receiver


def test_a_connection_lost_mid_save_answers_503_and_saves_nothing(sheet, supervisor, caplog):
    browser = Client(raise_request_exception=False)  # as a real server: the error page
    login(browser, supervisor)
    values = editor(browser, sheet)
    values.update({"goals-0-text": "Reduce DSO on the portfolio to 40 days by June 30, 2027.",
                   "goals-1-text": "Collect $300,000 of balances over 90 days by December 15."})
    texts, version = goal_texts(sheet), fresh(sheet).version
    calls = []
    receiver = _terminate_own_backend_after_first_goal(calls)
    post_save.connect(receiver, sender=Goal, weak=False, dispatch_uid="fault-test")
    try:
        with caplog.at_level(logging.ERROR, logger="config.errors"):
            response = browser.post(reverse("sheet_edit", args=[sheet.pk]),
                                    {**values, "save": ""})
    finally:
        post_save.disconnect(sender=Goal, dispatch_uid="fault-test")

    assert len(calls) == 1  # the first goal was written, then the connection ended
    assert response.status_code == 503
    page = response.content.decode()
    assert "The database connection was lost; nothing was saved." in page
    assert "Traceback" not in page
    assert response["Retry-After"]
    assert "The database connection was lost during POST" in caplog.text
    assert goal_texts(sheet) == texts  # a new connection reads the sheet as it was
    assert fresh(sheet).version == version


def test_other_server_errors_keep_the_plain_500_page(rf):
    from config.errors import server_error

    try:
        raise KeyError("not the database")
    except KeyError:
        response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
