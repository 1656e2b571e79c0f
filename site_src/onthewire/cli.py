"""`wire`: the learner's command for the labs. `wire --help` lists the commands."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

from onthewire import course, paths
from onthewire.labs import workspace
from onthewire.labs.runner import command_for, env_for
from onthewire.serving import port_in_use, python


class WireError(Exception):
    """Bad input: printed as one line naming the fix, exit code 2, no traceback."""


def _rel(path: Path) -> str:
    for base in (Path.cwd(), paths.ROOT):
        try:
            return str(path.relative_to(base))
        except ValueError:
            pass
    return str(path)


def _lab(lab_id: str) -> course.Lab:
    try:
        return course.lab(lab_id)
    except course.CourseError as e:
        raise WireError(f"{e}. See `wire list`.") from None


def _existing_workspace(lab: course.Lab) -> Path:
    mine = workspace.lab_dir(lab)
    if not mine.exists():
        raise WireError(f"no workspace for {lab.id} yet: run `wire start {lab.id}` first, it copies the starter code for you")
    return mine


# --- list ----------------------------------------------------------------------------------

def cmd_list(args: argparse.Namespace) -> int:
    progress = workspace.Progress()
    titles = {m.id: m.title for m in course.modules()}
    rows = [(str(i), lab.id, titles[lab.module], f"{lab.minutes} min", progress.status(lab)) for i, lab in enumerate(course.labs(), 1)]
    head = ("#", "lab", "module", "time", "status")
    widths = [max(len(r[c]) for r in [head, *rows]) for c in range(len(head))]
    for row in [head, *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    print("\nStart one with `wire start LAB`; check it with `wire check LAB`.")
    return 0


# --- start ---------------------------------------------------------------------------------

def cmd_start(args: argparse.Namespace) -> int:
    lab = _lab(args.lab)
    if args.app and not lab.takes_app:
        raise WireError(f"{lab.id} serves no app, so it takes no APP argument: run `wire start {lab.id}`")
    if args.app and ":" not in args.app:
        raise WireError(f"APP must be module:attribute, like hello:app, not {args.app!r}")
    port = args.port or lab.default_port
    if not 0 < port < 65536:
        raise WireError(f"--port must be between 1 and 65535, not {port}")
    if port_in_use(port):
        raise WireError(f"port {port} on 127.0.0.1 is already in use: stop what is using it, or choose another with --port N")
    with contextlib.ExitStack() as stack:
        if args.solution:
            code, label = stack.enter_context(workspace.assembled(lab, lab.solution)), "the reference solution"
        else:
            code, created = workspace.ensure(lab)
            label = f"your code in {_rel(code)}"
            if created:
                print(f"Copied the starter into {_rel(code)}: edit the files there (look for TODO).")
                progress = workspace.Progress()
                progress.of(lab)["started"] = True
                progress.save()
        return _serve(lab, code, label, port, args.app)


def _serve(lab: course.Lab, code: Path, label: str, port: int, app: str | None) -> int:
    command = command_for(lab, port=port, app=app)
    app_note = f" app {app or lab.default_app}," if lab.takes_app else ""
    print(f"Running {lab.id} ({label}),{app_note} on {lab.scheme}://127.0.0.1:{port}. Ctrl-C stops it.", flush=True)
    # The learner's current folder goes on the import path, as gunicorn does, so that
    # `wire start wsgi-server myproject.wsgi:application` finds their own app.
    process = subprocess.Popen(command, cwd=code, env={**os.environ, **env_for(code, [Path.cwd()])})
    # Whatever stops `wire` stops the server too: Ctrl-C, a terminal closing, a kill.
    def forward(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, forward)
    try:
        return process.wait()
    except KeyboardInterrupt:
        print("\nStopping...", flush=True)
        return 0
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# --- check ---------------------------------------------------------------------------------

def _selected(lab: course.Lab, only: list[str]) -> list[str]:
    """The check files or checks (`test_3_handshake.py`, `test_3_handshake.py::test_x`) to run."""
    if not only:
        return [str(lab.checks)]
    chosen = []
    for check in only:
        file, _, name = check.partition("::")
        if not (lab.checks / file).is_file() or not file.startswith("test_"):
            known = ", ".join(sorted(p.name for p in lab.checks.glob("test_*.py")))
            raise WireError(f"--only {check}: {lab.id} has no check file {file!r}; its files: {known}")
        chosen.append(str(lab.checks / file) + (f"::{name}" if name else ""))
    return chosen


def _run_checks(lab: course.Lab, code: Path, log: Path, exitfirst: bool = False, only: list[str] | None = None) -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="wire-check-") as tmp:
        report = Path(tmp) / "report.json"
        env = {**os.environ, "WIRE_LAB": lab.id, "WIRE_CODE_DIR": str(code), "WIRE_REPORT": str(report)}
        command = [python(), "-m", "pytest", *_selected(lab, only or []), "-p", "onthewire.labs.harness",
                   "-p", "no:cacheprovider", "-q", "--rootdir", str(paths.ROOT), "-c", str(paths.ROOT / "pyproject.toml")]
        if exitfirst:
            command.append("--exitfirst")
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("w") as sink:
            try:
                subprocess.run(command, cwd=code, env=env, stdout=sink, stderr=subprocess.STDOUT, timeout=600)
            except subprocess.TimeoutExpired:
                raise WireError(f"the checks took longer than 10 minutes; see {_rel(log)}") from None
        if not report.exists():
            raise WireError(f"the checks did not run; see {_rel(log)}")
        return json.loads(report.read_text())


DETAILED_FAILURES = 4
TRACEBACK_LINES = 8


def cmd_check(args: argparse.Namespace) -> int:
    lab = _lab(args.lab)
    with contextlib.ExitStack() as stack:
        if args.solution:
            code, label = stack.enter_context(workspace.assembled(lab, lab.solution)), "the reference solution"
        elif args.starter:
            code, label = stack.enter_context(workspace.assembled(lab, lab.starter)), "the untouched starter"
        else:
            code = _existing_workspace(lab)
            label = f"your code in {_rel(code)}"
        log = paths.workspace() / ".logs" / f"check-{lab.id}{'-solution' if args.solution else '-starter' if args.starter else ''}.log"
        print(f"Checking {lab.id} against {label}...\n", flush=True)
        rows = _run_checks(lab, code, log, args.exitfirst, args.only)
    marks = {"passed": "✓", "failed": "✗", "skipped": "-"}
    stopped = next((row for row in rows if row.get("stopped")), None)
    if stopped is not None:
        # One message, as Python printed it, instead of every check failing alike.
        print(f"  ✗ {stopped['behaviour']}\n")
        print(textwrap.indent(stopped["stopped"], "      "))
        print(f"\nNo check could run against it. Fix it, then `wire check {lab.id}` again.")
        if not (args.solution or args.starter):
            progress = workspace.Progress()
            progress.of(lab)["last_check"] = {"passed": 0, "failed": 1}
            progress.of(lab).pop("first_failed", None)
            progress.save()
        return 1
    detailed = 0
    for row in rows:
        print(f"  {marks[row['outcome']]} {row['behaviour']}")
        if row.get("measured") and row["outcome"] == "passed":  # a failure's message says it
            print(f"      measured: {row['measured']}")
        # Details for the first few failures only, so that the report fits on one screen.
        if row["outcome"] != "passed" and detailed < DETAILED_FAILURES:
            detailed += 1
            if row["message"]:
                print(textwrap.indent(textwrap.shorten(row["message"], 200), "      got: "))
            if row.get("traceback"):  # its last lines, where the learner's code is
                print(textwrap.indent("\n".join(row["traceback"].splitlines()[-TRACEBACK_LINES:]), "        "))
            if row["look_at"]:
                print(f"      look at: {row['look_at']}")
    passed = sum(r["outcome"] == "passed" for r in rows)
    failed = len(rows) - passed
    if failed > detailed:
        print(f"\n  (what went wrong is shown for the first {detailed} failures; fix those first)")
    print(f"\n{passed} passed, {failed} failed")
    if args.exitfirst and failed:
        print("Stopped at the first failure (--exitfirst); without it every check runs.")
    if failed:
        print(f"Full output: {_rel(log)}. Stuck? `wire hint {lab.id}`.")
    elif not (args.solution or args.starter):
        print(f"All checks pass: {lab.id} is done. Compare with the reference: `wire solution {lab.id}`.")
    if not (args.solution or args.starter):
        progress = workspace.Progress()
        entry = progress.of(lab)
        if not args.only:  # a few checks passing is not the lab done
            entry["last_check"] = {"passed": passed, "failed": failed}
        first = next((r for r in rows if r["outcome"] != "passed" and r.get("check")), None)
        if first is not None:  # `wire hint` follows it
            entry["first_failed"] = {"check": first["check"], "behaviour": first["behaviour"]}
        else:
            entry.pop("first_failed", None)
        progress.save()
    return 0 if failed == 0 and rows else 1


# --- hint and solution ---------------------------------------------------------------------

def cmd_hint(args: argparse.Namespace) -> int:
    """The next unread hint for the first check that failed in the last `wire check`; with
    --all, every hint, by check. Before any check has failed, the hints in order."""
    lab = _lab(args.lab)
    progress = workspace.Progress()
    entry = progress.of(lab)
    read: list[int] = entry.setdefault("hints_read", [])
    number = {id(h): i for i, h in enumerate(lab.hints, start=1)}
    if args.all:
        _all_hints(lab, number)
        entry["hints_read"] = sorted(set(read) | set(number.values()))
        progress.save()
        return 0
    failed = entry.get("first_failed")
    if failed:
        helping = [h for h in lab.hints if h.helps_with(failed["check"])] or list(lab.hints)
        about = f" for the check that failed first: {failed['behaviour']}"
    else:
        helping, about = list(lab.hints), ""
    unread = [h for h in helping if number[id(h)] not in read]
    if not unread:
        print(f"You have read every hint{about or ' for ' + lab.id}. All of them: `wire hint {lab.id} --all`; "
              f"the reference: `wire solution {lab.id}`.")
        return 0
    hint = unread[0]
    print(f"Hint {number[id(hint)]} of {len(lab.hints)}{about}:\n  {hint.text}")
    read.append(number[id(hint)])
    progress.save()
    return 0


def _all_hints(lab: course.Lab, number: dict[int, int]) -> None:
    """Every hint, under each check file (or check) it helps with, in the order of lab.toml."""
    groups: dict[str, list[course.Hint]] = {}
    for hint in lab.hints:
        for pattern in hint.checks or ("any check",):
            groups.setdefault(pattern, []).append(hint)
    for pattern, hints in groups.items():
        print(f"{pattern}:")
        for hint in hints:
            print(f"  Hint {number[id(hint)]} of {len(lab.hints)}: {hint.text}")


def cmd_solution(args: argparse.Namespace) -> int:
    lab = _lab(args.lab)
    mine = _existing_workspace(lab)
    change = workspace.diff(lab, mine)
    if not change:
        print(f"Your code in {_rel(mine)} is the same as the reference solution.")
        return 0
    if args.apply:
        backup = workspace.apply_solution(lab, mine)
        print(f"Copied the solution into {_rel(mine)}. Your files are kept in {_rel(backup)}.")
        return 0
    sys.stdout.write(change)
    print(f"\n(The lines starting with + are the reference. `wire solution {lab.id} --apply` copies it in, backing up your files first.)")
    return 0


# --- trace ---------------------------------------------------------------------------------

def cmd_trace(args: argparse.Namespace) -> int:
    """Serve the app named APP on 127.0.0.1:PORT, traced, until a signal: ASGI under uvicorn,
    WSGI (--wsgi) under wsgiref with a thread per request."""
    from onthewire import apps, serving, trace

    try:
        app = apps.load_app(args.app)
        apps.check_interface(app, args.app, args.wsgi)
    except apps.AppError as e:
        raise WireError(str(e)) from None
    if not 0 < args.port < 65536:
        raise WireError(f"--port must be between 1 and 65535, not {args.port}")
    if serving.port_in_use(args.port):
        raise WireError(f"port {args.port} is in use on {serving.HOST}; stop what is using it, or choose another port with --port N")
    kind, under = ("WSGI", "wsgiref") if args.wsgi else ("ASGI", "uvicorn")
    print(f"Tracing {args.app} ({kind}) under {under} on http://{serving.HOST}:{args.port}. Ctrl-C stops it.", flush=True)
    if args.wsgi:
        serving.serve_wsgi_until_stopped(trace.traced_wsgi(app, sys.stdout), args.port)
    else:
        serving.serve_asgi_until_stopped(trace.traced(app, sys.stdout), args.port)
    print("Stopped.", flush=True)
    return 0


# --- doctor --------------------------------------------------------------------------------

def cmd_doctor(args: argparse.Namespace) -> int:
    from onthewire import doctor

    return doctor.run()


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="wire", description="Start, check and finish the On the Wire labs.")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)

    s = sub.add_parser("list", help="the labs in course order, with your progress")
    s.set_defaults(func=cmd_list)

    s = sub.add_parser("start", help="copy a lab's starter into your workspace (first time) and run it")
    s.add_argument("lab", metavar="LAB")
    s.add_argument("app", metavar="APP", nargs="?", help="for labs that serve an app: module:attribute (like gunicorn)")
    s.add_argument("--solution", action="store_true", help="run the reference solution instead of your code")
    s.add_argument("--port", type=int, help="port on 127.0.0.1 (default: the lab's)")
    s.set_defaults(func=cmd_start)

    s = sub.add_parser("check", help="run the lab's checks against your code")
    s.add_argument("lab", metavar="LAB")
    which = s.add_mutually_exclusive_group()
    which.add_argument("--solution", action="store_true", help="check the reference solution instead")
    which.add_argument("--starter", action="store_true", help="check the untouched starter (it should fail)")
    s.add_argument("-x", "--exitfirst", action="store_true", help="stop at the first check that fails")
    s.add_argument("--only", action="append", metavar="CHECK",
                   help="run only this check file (test_3_handshake.py) or check (FILE::NAME); repeatable")
    s.set_defaults(func=cmd_check)

    s = sub.add_parser("hint", help="the next hint for a lab")
    s.add_argument("lab", metavar="LAB")
    s.add_argument("--all", action="store_true", help="every hint, listed by the checks it helps with")
    s.set_defaults(func=cmd_hint)

    s = sub.add_parser("solution", help="the diff from your code to the reference solution")
    s.add_argument("lab", metavar="LAB")
    s.add_argument("--apply", action="store_true", help="copy the solution in (your files are backed up first)")
    s.set_defaults(func=cmd_solution)

    s = sub.add_parser("trace", help="serve an app and print every message between server and app",
                       description="Serve APP on 127.0.0.1 and print, as they happen, every scope and every "
                                   "receive() and send() message (ASGI, under uvicorn), or the environ, "
                                   "start_response(), body items and close() (WSGI, under wsgiref).")
    s.add_argument("app", metavar="APP", help="module:attribute, imported from the current folder first (like uvicorn)")
    s.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000)")
    s.add_argument("--wsgi", action="store_true", help="APP is a WSGI app: serve it with wsgiref instead of uvicorn")
    s.set_defaults(func=cmd_trace)

    s = sub.add_parser("doctor", help="check this machine for what the course needs")
    s.set_defaults(func=cmd_doctor)
    return p


def main(argv: list[str] | None = None) -> int:
    p = parser()
    # argparse does not take an optional positional after options (`wire start LAB --port 9000
    # APP`): pick up a lone leftover word as APP, and refuse anything else.
    args, rest = p.parse_known_args(argv)
    if rest:
        if args.command == "start" and args.app is None and len(rest) == 1 and not rest[0].startswith("-"):
            args.app = rest[0]
        else:
            p.error(f"unrecognized arguments: {' '.join(rest)}")
    try:
        return args.func(args)
    except (WireError, course.CourseError) as e:
        print(f"wire: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `wire hint LAB --all | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no error at exit either
        return 1


if __name__ == "__main__":
    sys.exit(main())
