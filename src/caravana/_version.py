# The one place the version is written: pyproject.toml reads it from here
# ([tool.setuptools.dynamic]), so `import caravana` need not scan the installed
# distributions with importlib.metadata (15-30 ms of every command's start).
__version__ = "0.1.0"
