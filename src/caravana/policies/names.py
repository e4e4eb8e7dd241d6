"""The names a user reads for the built-in policy variants (``caravana compare corridor``).

The policy file (``builtin/corridor/policies_2018.yml``) and the comparison's CSV keep the
variants' English names; those of the built-in set are marked here for the catalogue and
translated where shown. A user's own policy file's names are shown as written: they are the
user's, in whatever language the user wrote them.
"""

from __future__ import annotations

from ..i18n import N_

# every variant name of builtin/corridor/policies_2018.yml (a test checks the two agree)
BUILTIN_VARIANTS = frozenset({
    N_("checkpoint line north of Tapachula"),
    N_("INM capacity halved"),
    N_("INM capacity doubled"),
    N_("Remain in Mexico on"),
    N_("Remain in Mexico off"),
    N_("border city chosen in Mexico City"),
})

