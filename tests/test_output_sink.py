"""The one output sink for machine formats (prcli.cli.sink) and the one --format option type."""

from __future__ import annotations

import ast
import csv
import io
import json
from pathlib import Path

import pytest
import typer.main

from prcli.cli.app import app
from prcli.cli.sink import Format, Sink
from prcli.model import Status
from prcli.records import CSV_COLUMNS, encode
from prcli.repository import Repository

from .conftest import Run
from .helpers import write_release
from .test_import import ENGLISH, write
from .test_validation import good

CLI = Path(__file__).parents[1] / "src" / "prcli" / "cli"
# Commands whose data goes through the sink, and the formats each offers.
SINK_COMMANDS = {
    "list": {"table", "json", "jsonl", "csv", "ids"},
    "search": {"table", "json", "jsonl", "csv", "ids"},
    "stats": {"table", "json", "csv"},
    "status": {"table", "json", "jsonl", "csv"},
    "log": {"table", "json", "jsonl", "csv"},
    "import": {"table", "json", "jsonl", "csv"},
}


def _format_choices(name: str) -> set[str]:
    group = typer.main.get_command(app)
    command = group.commands[name]  # type: ignore[attr-defined]
    (option,) = [p for p in command.params if "--format" in getattr(p, "opts", ())]
    return {str(choice) for choice in option.type.choices}


@pytest.mark.parametrize("name", sorted(SINK_COMMANDS))
def test_each_command_offers_its_formats_from_the_one_enum(name: str) -> None:
    choices = _format_choices(name)
    assert choices == SINK_COMMANDS[name]
    assert choices <= {str(fmt) for fmt in Format}


def test_no_command_module_defines_its_own_machine_format_enum() -> None:
    """A `class XFormat(StrEnum)` offering json/jsonl/csv/ids outside sink.py would be a second
    writer in waiting. (Formats that are not listings -- show's raw/markdown, export's rendered
    formats, validate's github -- are documents of their own and stay.)"""
    allowed = {"sink.py", "show_cmd.py", "export_cmd.py", "validate_cmd.py"}
    offenders = []
    for path in sorted(CLI.glob("*.py")):
        if path.name in allowed:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(base, ast.Name) and base.id == "StrEnum" for base in node.bases
            ):
                values = {
                    stmt.value.value
                    for stmt in node.body
                    if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Constant)
                }
                # An output enum offers a table too (import's --from json|jsonl is an input format).
                if "table" in values and values & {"json", "jsonl", "csv", "ids"}:
                    offenders.append(f"{path.name}: {node.name}")
    assert offenders == []


def _written(capsysbinary: pytest.CaptureFixture[bytes], call: object) -> bytes:
    assert callable(call)
    call()
    return capsysbinary.readouterr().out


def test_records_in_every_format(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    records = [encode({column: None for column in CSV_COLUMNS} | {"id": i}) for i in ("a", "b")]
    assert _written(capsysbinary, lambda: Sink(Format.ids).records(records)) == b"a\nb\n"
    jsonl = _written(capsysbinary, lambda: Sink(Format.jsonl).records(records))
    assert jsonl == records[0] + b"\n" + records[1] + b"\n"
    assert _written(capsysbinary, lambda: Sink(Format.json).records(records)) == (
        b"[\n  " + records[0] + b",\n  " + records[1] + b"\n]\n"
    )
    assert _written(capsysbinary, lambda: Sink(Format.json).records([])) == b"[]\n"
    header = ",".join(CSV_COLUMNS).encode() + b"\n"
    assert _written(capsysbinary, lambda: Sink(Format.csv).records([])) == header


def test_rows_in_every_format(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    rows = [{"id": "x", "note": "=1+1", "tags": ["a", "b"]}, {"id": "", "note": "é", "tags": []}]
    columns = ("id", "note", "tags")
    as_json = _written(capsysbinary, lambda: Sink(Format.json).rows(rows, columns))
    assert as_json.decode() == json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    lines = _written(capsysbinary, lambda: Sink(Format.jsonl).rows(rows, columns)).splitlines()
    assert [json.loads(line) for line in lines] == rows
    assert lines[1] == '{"id":"","note":"é","tags":[]}'.encode()
    table = _written(capsysbinary, lambda: Sink(Format.csv).rows(rows, columns)).decode()
    assert list(csv.reader(io.StringIO(table))) == [
        ["id", "note", "tags"],
        ["x", "'=1+1", "a; b"],  # spreadsheet-safe, lists joined
        ["", "é", ""],
    ]
    assert _written(capsysbinary, lambda: Sink(Format.csv).rows([], columns)) == b"id,note,tags\n"
    assert _written(capsysbinary, lambda: Sink(Format.ids).rows(rows, columns)) == b"x\n"


def test_a_document_is_json_only() -> None:
    with pytest.raises(ValueError):
        Sink(Format.csv).document({})
    with pytest.raises(ValueError):
        Sink(Format.table).rows([], ())


def test_status_overview_one_release_a_line(repository: Repository, run: Run) -> None:
    write_release(repository, good(id="2021-10-15-live", title="Live one"))
    lines = run("status", "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line) for line in lines] == [
        {
            "state": "live",
            "id": "2021-10-15-live",
            "title": "Live one",
            "language": "en",
            "status": "published",
            "embargo_until": None,
            "publish_at": None,
        }
    ]
    rows = list(csv.DictReader(io.StringIO(run("status", "-f", "csv").stdout)))
    assert [(row["state"], row["id"]) for row in rows] == [("live", "2021-10-15-live")]


def test_log_one_step_a_line(repository: Repository, run: Run) -> None:
    path = write_release(repository, good(status=Status.DRAFT))
    assert run("submit", str(path), "--note", "ready").exit_code == 0
    as_json = json.loads(run("log", str(path), "-f", "json").stdout)
    lines = run("log", str(path), "-f", "jsonl").stdout.splitlines()
    assert [json.loads(line) for line in lines] == as_json
    assert as_json[-1]["status"] == "review" and as_json[-1]["note"] == "ready"
    rows = list(csv.DictReader(io.StringIO(run("log", str(path), "-f", "csv").stdout)))
    assert [(row["status"], row["note"]) for row in rows] == [("review", "ready")]
    refused = run("log", str(path), "-f", "csv", "--sends")
    assert refused.exit_code == 2 and "--sends" in refused.stderr and refused.stdout == ""


def test_import_summary_one_input_a_line(repository: Repository, run: Run, tmp_path: Path) -> None:
    source = write(tmp_path, "in.txt", ENGLISH)
    (line,) = run("import", str(source), "--dry-run", "-f", "jsonl").stdout.splitlines()
    outcome = json.loads(line)
    assert outcome["input"].endswith("in.txt") and outcome["action"].endswith("create")
    rows = list(csv.DictReader(io.StringIO(run("import", str(source), "-f", "csv").stdout)))
    assert [row["action"] for row in rows] == ["created"]
    assert rows[0]["id"] and (repository.root / rows[0]["path"]).is_file()


def test_rows_as_json_stream_the_bytes_of_one_document(
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    rows = [{"n": n, "text": f"line {n}\nnext", "list": [n, {"deep": None}]} for n in range(1100)]
    written = _written(capsysbinary, lambda: Sink(Format.json).rows(iter(rows), ("n",)))
    assert written.decode() == json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
