"""CI must run exactly what the README tells a new user to run."""

import re

from conftest import REPO


def test_ci_runs_the_readme_test_command():
    readme = (REPO / "README.md").read_text()
    commands = re.findall(r"```bash\n(.+?)\n```", readme)
    install_and_run, install_and_test = commands[0], commands[1]
    assert "pip install -e ." in install_and_run and "detector score" in install_and_run
    assert install_and_test in (REPO / ".ci" / "run").read_text()
