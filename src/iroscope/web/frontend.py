"""GOV.UK Frontend, installed from the npm registry into the data folder (never committed).

`iroscope web-assets` installs it; `iroscope serve` installs it when it is missing. Django serves
the CSS and JavaScript as static files under `govuk/`, and the fonts and images at `/assets/`, where
the precompiled stylesheet looks for them.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

GOVUK_FRONTEND_VERSION = "5.14.0"


def frontend_dir(data_dir: Path) -> Path:
    return data_dir / "frontend"


def govuk_dist(data_dir: Path) -> Path:
    """The folder holding govuk-frontend.min.css, govuk-frontend.min.js and assets/."""
    return frontend_dir(data_dir) / "node_modules" / "govuk-frontend" / "dist" / "govuk"


def frontend_installed(data_dir: Path) -> bool:
    package = frontend_dir(data_dir) / "node_modules" / "govuk-frontend" / "package.json"
    return (govuk_dist(data_dir) / "govuk-frontend.min.css").is_file() and (
        f'"version": "{GOVUK_FRONTEND_VERSION}"' in package.read_text(encoding="utf-8")
    )


class FrontendInstallError(RuntimeError):
    pass


def frontend_install(*, data_dir: Path) -> Path:
    """Install the pinned govuk-frontend with npm; returns its dist folder."""
    npm = shutil.which("npm")
    if npm is None:
        raise FrontendInstallError("npm was not found: install Node.js and npm, then run `iroscope web-assets`.")
    target = frontend_dir(data_dir)
    target.mkdir(parents=True, exist_ok=True)
    command = [
        npm,
        "install",
        "--no-audit",
        "--no-fund",
        "--prefix",
        str(target),
        f"govuk-frontend@{GOVUK_FRONTEND_VERSION}",
    ]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0 or not frontend_installed(data_dir):
        raise FrontendInstallError(f"npm could not install govuk-frontend: {completed.stderr.strip()[-500:]}")
    return govuk_dist(data_dir)
