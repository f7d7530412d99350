"""The example project's schema through tools nobody here wrote: Spectral and openapi-typescript + tsc.

``clients/run.py`` installs the pinned npm tools (``npm ci``) when they are missing, writes the schema
in each style, lints it with ``spectral:oas`` and compiles ``clients/src/client.ts`` with
``tsc --strict`` against the generated types: each operation's error codes narrow per status, and the
client's ``@ts-expect-error`` lines (a code an operation cannot answer, a misspelt field code, a
``Retry-After`` that is not a number) must each meet one compile error.
"""

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.tables import STYLES

CLIENTS = Path(__file__).resolve().parent.parent / "clients"
EXPECT_ERROR = re.compile(r"^\s*// @ts-expect-error.*\n", re.MULTILINE)


def _load_runner():
    spec = importlib.util.spec_from_file_location("clients_run", CLIENTS / "run.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


runner = _load_runner()
pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def node_tools(tmp_path_factory):
    """The pinned npm tools, installed by ``ensure_node_modules`` into a folder of their own.

    Every run installs them once, here, whether or not ``clients/node_modules`` exists: the install is
    itself under test (``test_npm_ci_installs_the_pinned_tools_when_node_modules_is_missing``), and
    the other tests use what it installed rather than paying for a second ``npm ci`` on a fresh clone.
    """
    folder = tmp_path_factory.mktemp("clients")
    for name in ("package.json", "package-lock.json"):
        shutil.copy(CLIENTS / name, folder / name)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(runner, "CLIENTS", folder)
        patch.setattr(runner, "BIN", folder / "node_modules" / ".bin")
        installs = [runner.ensure_node_modules(), runner.ensure_node_modules()]
    return {"folder": folder, "installs": installs}


@pytest.fixture(scope="module")
def report(node_tools):
    """One run of every step over the three styles with the installed tools (about 20 s)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(runner, "BIN", node_tools["folder"] / "node_modules" / ".bin")
        return runner.run(list(runner.STYLES))


@pytest.mark.parametrize("style", STYLES)
def test_spectral_finds_no_error_in_the_schema(report, style):
    assert report.styles[style].spectral_errors == []


def test_every_style_is_linted(report):
    assert set(report.styles) == set(STYLES)
    assert all(style.spectral_warnings > 0 for style in report.styles.values())  # Spectral did read them


def test_the_client_compiles_with_tsc_strict(report):
    assert (report.tsc_returncode, report.tsc_output) == (0, "")


def test_the_generated_types_narrow_on_the_error_code(report):
    generated = (CLIENTS / "generated" / "awork.ts").read_text()

    union = re.search(r"^\s*ErrorCode: (.+);$", generated, re.MULTILINE).group(1)
    assert {'"not-found"', '"validation-failed"', '"out-of-stock"'} <= set(union.split(" | "))


def operation_types(generated: str, operation: str) -> tuple[str, dict[str, str]]:
    """The TypeScript openapi-typescript generated for ``operation``, and status -> its union of codes."""
    start = generated.index(f"    {operation}: {{")
    end = start + 10 + re.search(r"\n    \S", generated[start + 10 :]).start()  # the next line at its depth
    types = generated[start:end]
    return types, dict(
        re.findall(r"^            (\d{3}): \{.*?code: ([^;]+);", types, re.MULTILINE | re.DOTALL)
    )


def test_the_generated_types_narrow_each_operations_codes_per_status(report):
    generated = (CLIENTS / "generated" / "awork.ts").read_text()
    buy, codes = operation_types(generated, "api_products_buy_create")

    assert codes["409"] == '"out-of-stock"'
    assert codes["429"] == '"too-many-requests"'
    assert codes["503"] == '"service-unavailable"'
    assert '"Retry-After": components["headers"]["Retry-After"];' in buy
    assert '"Retry-After": number;' in generated


def test_each_ts_expect_error_of_the_client_marks_one_compile_error(report, node_tools, tmp_path):
    source = (CLIENTS / "src" / "client.ts").read_text()
    directives = len(EXPECT_ERROR.findall(source))
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "client.ts").write_text(EXPECT_ERROR.sub("", source))
    (tmp_path / "generated").symlink_to(CLIENTS / "generated")
    config = {"extends": str(CLIENTS / "tsconfig.json"), "include": ["src/*.ts"]}
    (tmp_path / "tsconfig.json").write_text(json.dumps(config))

    done = subprocess.run(
        [
            str(node_tools["folder"] / "node_modules" / ".bin" / "tsc"),
            "--project",
            str(tmp_path),
            "--pretty",
            "false",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )

    errors = re.findall(r"^src/client\.ts\(\d+,\d+\): error (TS\d+)", done.stdout, re.MULTILINE)
    assert directives >= 8
    assert len(errors) == directives
    assert '"sold-out"' in done.stdout
    assert """Type '"out-of-stock"'""" in done.stdout or '"not-found"' in done.stdout


def test_npm_ci_installs_the_pinned_tools_when_node_modules_is_missing(node_tools):
    assert node_tools["installs"] == [True, False]  # installed when missing, then left alone
    versions = json.loads((node_tools["folder"] / "package.json").read_text())["devDependencies"]
    for tool in ("typescript", "openapi-typescript", "@stoplight/spectral-cli"):
        installed = json.loads((node_tools["folder"] / "node_modules" / tool / "package.json").read_text())
        assert installed["version"] == versions[tool]
