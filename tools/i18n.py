"""Update the message catalogues: extract every ``_()``/``n_()`` message and every error
message (tools/babel_errors.py) of the code into
the template, merge it into each language's ``.po`` (new messages come in untranslated,
gone ones are dropped) and compile the ``.mo`` files shipped with the package.

    python tools/i18n.py            # after changing messages; then translate the new entries in the .po
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "src" / "caravana" / "i18n" / "locale"
# The whole package: tools/babel_errors.py takes _() messages from the parts that show them
# and errors from everywhere.
SOURCES = ["src/caravana"]
KEYWORDS = ["-k", "_", "-k", "n_:1,2", "-k", "N_", "-k", "np_:1c,2,3"]


def main() -> None:
    pot = LOCALE / "caravana.pot"
    babel = [sys.executable, "-m", "babel.messages.frontend"]
    subprocess.run([*babel, "extract", *KEYWORDS, "--no-location", "--sort-output",
                    "-F", str(ROOT / "tools" / "babel.cfg"), "-o", str(pot), *SOURCES], cwd=ROOT, check=True)
    subprocess.run([*babel, "update", "--no-fuzzy-matching", "--ignore-obsolete", "-i", str(pot), "-d", str(LOCALE), "-D", "caravana"],
                   cwd=ROOT, check=True)
    subprocess.run([*babel, "compile", "-d", str(LOCALE), "-D", "caravana"], cwd=ROOT, check=True)


if __name__ == "__main__":
    main()
