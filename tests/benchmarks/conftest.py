import sys

from onthewire import paths

sys.path.insert(0, str(paths.ROOT / "benchmarks"))
