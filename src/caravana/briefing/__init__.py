"""A place's briefing for shelters and aid agencies: when people arrive, how many at the
peak (with its range), for how long, what to prepare, and the reports nearby; from a
run, an ensemble or a forecast. One computation (:mod:`.figures`), one page
(:mod:`.page`), shown by ``caravana brief``, the dashboard and the report."""

from .figures import Briefing, Need, Spread, from_members, member_figures
from .page import fragment, page

__all__ = ["Briefing", "Need", "Spread", "from_members", "fragment", "member_figures", "page"]
