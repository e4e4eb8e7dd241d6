"""Flee compatibility: import Flee input folders, write Flee's out.csv, compute its error."""

from .importer import read_flee_folder
from .validation import averaged_relative_difference, compare_camps, validate_results

__all__ = ["averaged_relative_difference", "compare_camps", "read_flee_folder", "validate_results"]
