"""Policy variants of a scenario and their side-by-side comparison."""

from .compare import PolicyOutcome, compare_policies, indicators
from .spec import Policy, PolicySet, read_policies

__all__ = ["Policy", "PolicyOutcome", "PolicySet", "compare_policies", "indicators", "read_policies"]
