#!/usr/bin/env python3
"""Shows that the golden cases in tests/data/bsseval catch the usual BSSEval mistakes.

Usage (Debian's interpreter, which has numpy, scipy and soundfile):

    /usr/bin/python3 tests/data/check_bsseval_mistakes.py MUSEVAL_DIR [CASES_DIR]

For each deliberately wrong variant of museval's computation (museval's `metrics.py` from
MUSEVAL_DIR, patched in memory, never copied) it scores every case, compares the result with
the case's expected.json under the rules of tests/test_metrics_golden.cpp and prints the
largest deviation and whether the test would fail ("caught"). A final check runs the
unpatched museval and must reproduce every expected.json exactly.
"""

import json
import math
import os
import sys
import types

import numpy
import scipy.fftpack
import scipy.linalg

sys.dont_write_bytecode = True  # leave no __pycache__ in tests/data
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_bsseval as gen  # noqa: E402  (the generator in this folder)


def value_of(value):
    if value is None:
        return math.nan
    if isinstance(value, str):
        return math.inf if value == "inf" else -math.inf
    return value


def deviations(expected, targets):
    """(metric, |difference|) pairs that break the test's rules; +inf for a NaN pattern or
    noise-level mismatch."""
    tolerance = expected["tolerance_db"]
    noise = expected["noise_level_db"]
    out = []

    def bss(metric, want, got):
        want, got = value_of(want), value_of(got)
        if math.isnan(want):
            if not math.isnan(got):
                out.append((metric, math.inf))
        elif want > noise:
            if not (math.isnan(got) or got > noise):
                out.append((metric, math.inf))
        elif math.isnan(got) or abs(want - got) > tolerance[metric]:
            out.append((metric, math.inf if math.isnan(got) else abs(want - got)))

    def whole(metric, want, got, tol):
        want, got = value_of(want), value_of(got)
        if math.isnan(want) and math.isnan(got):
            return
        if want == math.inf and got > noise:
            return
        if want == got:
            return
        diff = abs(want - got)
        if math.isnan(diff) or diff > tol:
            out.append((metric, math.inf if math.isnan(diff) else diff))

    for stem, want in expected["targets"].items():
        got = targets[stem]
        for metric in gen.METRICS:
            for t, x in enumerate(want["frames"][metric]):
                bss(metric, x, got["frames"][metric][t])
            bss(metric, want["median"][metric], got["median"][metric])
        for key in ("si_sdr_shared_scale", "si_sdr_channel_mean"):
            whole("SI-SDR", want[key], got[key], tolerance["si_sdr"])
        whole("global SDR", want["global_sdr"], got["global_sdr"], tolerance["global_sdr"])
    return out


# --- the wrong variants -----------------------------------------------------------------

def float32_correlations(museval):
    def fft(x, n=None, axis=-1):
        x = numpy.asarray(x)
        x = x.astype(numpy.complex64 if numpy.iscomplexobj(x) else numpy.float32)
        return scipy.fftpack.fft(x, n=n, axis=axis)

    def ifft(x, n=None, axis=-1):
        return scipy.fftpack.ifft(numpy.asarray(x, dtype=numpy.complex64), n=n, axis=axis)

    museval.scipy = types.SimpleNamespace(fftpack=types.SimpleNamespace(fft=fft, ifft=ifft),
                                          __version__=scipy.__version__)


def no_convolution_tail(museval):
    decompose = museval._bss_decomp_mtifilt

    def cut(reference_sources, estimated_source, j, C, Cj):
        n = estimated_source.shape[0]
        return tuple(part[:n] for part in decompose(reference_sources, estimated_source, j, C,
                                                    Cj))

    museval._bss_decomp_mtifilt = cut


def energy_silence(museval):
    museval._any_source_silent = lambda sources: numpy.any(numpy.all(
        numpy.sum(sources ** 2, axis=tuple(range(2, sources.ndim))) == 0, axis=1))


def plain_cholesky(museval):
    def solve(a, b):
        try:
            return scipy.linalg.cho_solve(scipy.linalg.cho_factor(a), b)
        except numpy.linalg.LinAlgError as error:  # no fallback, as a C++ LLT would do
            raise RuntimeError(f"Cholesky: {error}") from None

    linalg = types.SimpleNamespace(solve=solve, lstsq=numpy.linalg.lstsq,
                                   linalg=numpy.linalg.linalg)
    museval.np = types.SimpleNamespace(**{k: getattr(numpy, k) for k in dir(numpy)
                                          if not k.startswith("__")})
    museval.np.linalg = linalg


VARIANTS = [
    ("correlations / Gram matrix in float32", float32_correlations, {}),
    ("projection without the L - 1 convolution tail", no_convolution_tail, {}),
    ("silence as zero energy instead of channel sum zero", energy_silence, {}),
    ("filters fitted on the scored frames only", None, {"scored_frames_only": True}),
    ("plain Cholesky (no pivoting, no fallback)", plain_cholesky, {}),
    ("length rule at the start instead of the end", None, {"at_start": True}),
    ("none (unpatched museval: must match exactly)", None, {}),
]


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    museval_dir = sys.argv[1]
    cases_dir = sys.argv[2] if len(sys.argv) == 3 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "bsseval")
    cases = sorted(d for d in os.listdir(cases_dir)
                   if os.path.isfile(os.path.join(cases_dir, d, "expected.json")))
    for title, patch, options in VARIANTS:
        print(f"== {title}")
        for case in cases:
            folder = os.path.join(cases_dir, case)
            with open(os.path.join(folder, "expected.json")) as file:
                expected = json.load(file)
            museval = gen.load_museval(museval_dir)
            if patch:
                patch(museval)
            ref, est = gen.read_case(folder, expected["stems"])
            try:
                targets, _ = gen.score(museval, ref, est, expected["stems"], **options)
            except RuntimeError as error:
                print(f"  {case:26s} caught: {error}")
                continue
            broken = deviations(expected, targets)
            if broken:
                metric, worst = max(broken, key=lambda item: item[1])
                print(f"  {case:26s} caught: {len(broken)} values off, largest {metric} "
                      f"{'NaN pattern' if math.isinf(worst) else f'{worst:.3g} dB'}")
            else:
                print(f"  {case:26s} passes (not caught)")
    print("== SI-SDR with the other convention (shared scale vs channel mean)")
    for case in cases:
        with open(os.path.join(cases_dir, case, "expected.json")) as file:
            expected = json.load(file)
        gaps = [abs(value_of(t["si_sdr_shared_scale"]) - value_of(t["si_sdr_channel_mean"]))
                for t in expected["targets"].values()]
        gaps = [g for g in gaps if not math.isnan(g)]
        print(f"  {case:26s} largest gap {max(gaps) if gaps else math.nan:.3g} dB")


if __name__ == "__main__":
    main()
