"""close_on_disconnect: wsgiref calls close() after the last chunk and after a hang-up."""

from __future__ import annotations

from snippets.wsgi.close_on_disconnect import hang_up_after_first_item, read_all, run


def test_close_runs_after_a_complete_response(capfd) -> None:
    body, ran, how = run(read_all)
    assert body == b"item 1\nitem 2\nitem 3\n"
    assert ran and how == "finished after 3 items"
    assert capfd.readouterr().err == ""


def test_close_runs_when_the_client_hangs_up(capfd) -> None:
    body, ran, how = run(hang_up_after_first_item)
    assert body == b"item 1\n"
    assert ran, "the server never called close()"
    assert how == "GeneratorExit: closed before the end"
    assert capfd.readouterr().err == ""  # no broken-pipe traceback in the server's log
