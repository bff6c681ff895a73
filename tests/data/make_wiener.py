#!/usr/bin/env python3
"""Writes tests/data/wiener/norbert_em.json: reference vectors of norbert's multichannel Wiener
EM (expectation_maximization) for tests/test_filtering.cpp.

Usage (Debian's interpreter, which has numpy):

    /usr/bin/python3 tests/data/make_wiener.py NORBERT_DIR [OUT_FILE]

NORBERT_DIR is norbert's unmodified package folder (`__init__.py`, `contrib.py` and a `COMMIT`
file naming the commit it was taken from; MIT); it is only run, never copied. Random complex STFTs with fixed seeds, in double precision (norbert's
eps is then float64's machine epsilon). Re-running the script gives a byte-identical file.
"""

import importlib
import json
import os
import sys

import numpy as np

# (name, frames, bins, channels, sources, iterations, seed)
CASES = [
    ("stereo_3_sources_1_iteration", 5, 6, 2, 3, 1, 1),
    ("stereo_3_sources_3_iterations", 5, 6, 2, 3, 3, 2),
    ("mono_2_sources_2_iterations", 4, 5, 1, 2, 2, 3),
]


def complex_list(array):
    """[re, im, re, im, ...] in C order."""
    return [float(v) for v in np.stack([array.real, array.imag], axis=-1).ravel()]


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    package = os.path.abspath(sys.argv[1])
    sys.path.insert(0, os.path.dirname(package))
    norbert = importlib.import_module(os.path.basename(package))
    with open(os.path.join(package, "COMMIT")) as stream:
        commit = stream.read().strip()
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                             "wiener", "norbert_em.json")
    cases = []
    for name, frames, bins, channels, sources, iterations, seed in CASES:
        rng = np.random.RandomState(seed)
        shape = (frames, bins, channels, sources)
        y = rng.randn(*shape) + 1j * rng.randn(*shape)  # initial source estimates
        x = y.sum(axis=-1) + 0.1 * (rng.randn(frames, bins, channels) + 1j * rng.randn(frames, bins, channels))
        refined, _, _ = norbert.expectation_maximization(y.copy(), x, iterations=iterations)
        cases.append({"name": name, "frames": frames, "bins": bins, "channels": channels,
                      "sources": sources, "iterations": iterations,
                      "x": complex_list(x), "y": complex_list(y), "expected": complex_list(refined)})
    document = {"generator": {"script": "tests/data/make_wiener.py", "norbert_commit": commit},
                "layout": "x (frames, bins, channels), y and expected (frames, bins, channels, sources); "
                          "complex values as [re, im] pairs in C order",
                "cases": cases}
    with open(out, "w") as stream:
        json.dump(document, stream, indent=None, separators=(",", ":"))
        stream.write("\n")


if __name__ == "__main__":
    main()
