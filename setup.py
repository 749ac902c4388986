"""Packaging step pyproject.toml cannot express: the wheel carries the dbt project (models, macros,
data tests, analyses, cipanel's reference units) inside the package as cipanel/_dbt_project, so an
installed `cipanel` builds a project from any folder without the repository. An editable install
reads the repository's own files instead (cipanel.build.dbt_project_dir)."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
# the same parts as cipanel.build.PROJECT_PARTS (not imported: the build must not need the deps)
PROJECT_PARTS = ("dbt_project.yml", "profiles.yml", "models", "macros", "data-tests", "seeds", "analysis")


class BuildPyWithDbtProject(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        dest = Path(self.build_lib) / "cipanel" / "_dbt_project"
        shutil.rmtree(dest, ignore_errors=True)
        for part in PROJECT_PARTS:
            source = ROOT / part
            if source.is_dir():
                shutil.copytree(source, dest / part, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            else:
                dest.mkdir(parents=True, exist_ok=True)
                shutil.copy(source, dest / part)


setup(cmdclass={"build_py": BuildPyWithDbtProject})
