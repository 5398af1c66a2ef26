"""`opendata init`: a new catalogue that validates and builds at once."""

from __future__ import annotations

from pathlib import Path

import yaml

from opendata import __version__
from tests.conftest import run


def test_init_writes_a_catalogue_that_builds(tmp_path: Path) -> None:
    folder = tmp_path / "portal"
    result = run("init", folder, "--agency", "dinkes", "--title", 'Satu Data "Kab" Contoh: uji')
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:6] == [
        "created  opendata.yaml",
        "created  datasets/dinkes/agency.yaml",
        "created  README.md",
        "created  .gitignore",
        "created  .github/workflows/opendata.yml",
        "created  schemas/README.md",
    ]
    settings = yaml.safe_load((folder / "opendata.yaml").read_text())
    assert settings["title"]["id"] == 'Satu Data "Kab" Contoh: uji'
    workflow = yaml.safe_load((folder / ".github/workflows/opendata.yml").read_text())
    steps = [step.get("run", "") for step in workflow["jobs"]["validate"]["steps"]]
    assert steps[-2:] == ['pip install "$OPENDATA"', "opendata validate"]
    assert workflow["env"]["OPENDATA"] == f"opendata=={__version__}"
    assert workflow["permissions"] == {"contents": "read"}  # a pull request cannot deploy
    deploy = workflow["jobs"]["build"]
    assert deploy["if"] == "github.event_name == 'push'" and deploy["needs"] == "validate"
    assert deploy["environment"]["name"] == "github-pages"  # deploy-pages refuses without it
    assert deploy["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert [s.get("uses", s.get("run")) for s in deploy["steps"]][-3:] == [
        "SOURCE_DATE_EPOCH=$(git log -1 --format=%ct) opendata build --out _site",
        "actions/upload-pages-artifact@v3",
        "actions/deploy-pages@v4",
    ]
    readme = (folder / "README.md").read_text()
    assert 'set Source to "GitHub Actions"' in readme
    assert "opendata add report.xlsx --agency dinkes" in readme
    assert run("validate", folder).exit_code == 0
    assert run("build", folder, "--out", tmp_path / "site").exit_code == 0
    assert (tmp_path / "site/dinkes/index.html").is_file()


def test_init_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("our own readme")
    result = run("init", tmp_path, "--agency", "bappeda")
    assert result.exit_code == 0
    assert "kept     README.md (it already existed)" in result.output
    assert (tmp_path / "README.md").read_text() == "our own readme"
    again = run("init", tmp_path, "--agency", "bappeda")
    assert again.exit_code == 2
    assert "this folder is already a catalogue (it has opendata.yaml)." in again.output


def test_init_refuses_an_invalid_agency_name(tmp_path: Path) -> None:
    result = run("init", tmp_path, "--agency", "Dinas Kesehatan")
    assert result.exit_code == 2
    assert '"Dinas Kesehatan" is not a valid agency name.' in result.output
    assert not (tmp_path / "opendata.yaml").exists()
