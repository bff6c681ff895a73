#!/usr/bin/env python3
"""Writes the BSSEval v4 / SI-SDR / global SDR golden cases of tests/data/bsseval.

Usage (Debian's interpreter, which has numpy, scipy and soundfile):

    /usr/bin/python3 tests/data/make_bsseval.py MUSEVAL_DIR [OUT_DIR]

MUSEVAL_DIR is a folder holding museval's unmodified `metrics.py` (museval 0.4.1,
commit b2a2246f343eeb3c17dd69882db3eb73b6714617); OUT_DIR defaults to the folder of this
script + /bsseval. The script synthesises the signals with fixed seeds, writes the WAVs,
reads them back, applies museval's length rule, runs museval's `bss_eval` on the read-back
signals and stores what a C++ evaluator must reproduce in `<case>/expected.json`. museval
is only run, never copied. Re-running the script gives byte-identical files.

The nine cases, the settings and the JSON schema are described in tests/data/README.md.
"""

import decimal
import importlib.util
import json
import math
import os
import shutil
import sys

import numpy as np
import soundfile

SAMPLE_RATE = 44100
# museval's defaults (window = hop = 44100 samples, 512 filter taps) scaled down by 8 together,
# so that the filters keep their share of a frame (1.2 %); see tests/data/README.md.
WINDOW = 5512
HOP = 5512
FILTER_TAPS = 64
GLOBAL_SDR_DELTA = 1e-7
NOISE_LEVEL_DB = 100.0
TOLERANCE_DB = {"SDR": 1e-4, "ISR": 1e-3, "SIR": 1e-3, "SAR": 1e-3, "si_sdr": 1e-4,
                "global_sdr": 1e-4}
METRICS = ("SDR", "ISR", "SIR", "SAR")
MUSEVAL_COMMIT = "b2a2246f343eeb3c17dd69882db3eb73b6714617"


def load_museval(folder):
    path = os.path.join(folder, "metrics.py")
    spec = importlib.util.spec_from_file_location("museval_metrics", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- signals: (samples, 2) float64 ------------------------------------------------------

def seconds(n):
    return np.arange(n) / SAMPLE_RATE


def envelope(n, rng, segments=4):
    """A slow, positive amplitude envelope (0.4..1)."""
    points = rng.uniform(0.4, 1.0, segments + 1)
    return np.interp(np.linspace(0, segments, n), np.arange(segments + 1), points)


def stereo(mono, rng, delay=3):
    """Left/right with different gains and a small inter-channel delay."""
    pan = rng.uniform(0.35, 0.65)
    right = np.concatenate([np.zeros(delay), mono[:-delay]]) if delay else mono
    return np.stack([mono * (1 - pan) * 1.6, right * pan * 1.6], axis=1)


def vocals(n, rng):
    t = seconds(n)
    f0 = rng.uniform(180, 320)
    phase = 2 * np.pi * np.cumsum(f0 * (1 + 0.01 * np.sin(2 * np.pi * 5.5 * t))) / SAMPLE_RATE
    tone = sum(np.sin((k + 1) * phase + rng.uniform(0, 2 * np.pi)) / (k + 1)
               for k in range(40))
    breath = 0.03 * rng.standard_normal(n)  # broadband: keeps the filter fit well posed
    return stereo(0.25 * (tone + breath) * envelope(n, rng), rng)


def drums(n, rng):
    out = np.zeros(n)
    step = max(n // 8, 64)
    for start in range(0, n, step):
        length = min(step, n - start)
        decay = np.exp(-np.arange(length) / rng.uniform(80, 600))
        burst = rng.standard_normal(length) * decay
        kick = np.sin(2 * np.pi * rng.uniform(50, 70) * np.arange(length) / SAMPLE_RATE) * decay
        out[start:start + length] += 0.3 * burst + 0.5 * kick
    return stereo(0.6 * out, rng, delay=1)


def lowpass(x, cutoff_hz):
    """Brick-wall low-pass by FFT (zero above cutoff), per channel."""
    spectrum = np.fft.rfft(x, axis=0)
    freqs = np.fft.rfftfreq(x.shape[0], 1 / SAMPLE_RATE)
    spectrum[freqs > cutoff_hz] = 0
    return np.fft.irfft(spectrum, n=x.shape[0], axis=0)


def bass(n, rng):
    t = seconds(n)
    notes = rng.uniform(41, 110, 4)
    which = np.minimum((np.arange(n) * 4) // n, 3)
    phase = 2 * np.pi * np.cumsum(notes[which]) / SAMPLE_RATE
    tone = np.sin(phase) + 0.4 * np.sin(2 * phase) + 0.2 * np.sin(3 * phase)
    mono = 0.4 * tone * (0.8 + 0.2 * np.sin(2 * np.pi * 3 * t))
    # Low-passed at 1 kHz: after 16-bit rounding its top band holds only rounding noise.
    return lowpass(stereo(mono, rng, delay=2), 1000.0)


def other(n, rng):
    t = seconds(n)
    chord = rng.uniform(200, 700) * np.array([1.0, 1.26, 1.5, 2.0])
    pad = sum(np.sin(2 * np.pi * f * t + rng.uniform(0, 2 * np.pi)) for f in chord)
    white = rng.standard_normal(n)
    noise = white + np.convolve(white, np.ones(16) / 4, mode="same")  # tilted to the lows
    return stereo(0.12 * pad * envelope(n, rng) + 0.02 * noise, rng, delay=4)


GENERATORS = {"vocals": vocals, "drums": drums, "bass": bass, "other": other}


def to_16bit_grid(x):
    """k / 32768 with integer k in [-32768, 32767] (as int16 for writing)."""
    return np.clip(np.round(x * 32768.0), -32768, 32767).astype(np.int16)


def fir(x, taps):
    return np.stack([np.convolve(x[:, c], taps)[: x.shape[0]] for c in range(x.shape[1])], 1)


def estimate_of(reference, others, rng, noise_db=None):
    """Reference through a short FIR + cross-channel bleed + time-varying leakage of the
    other references + amplitude-modulated white noise (-15..-28 dB re. the reference)."""
    n = reference.shape[0]
    taps = np.array([rng.uniform(0.88, 0.96), rng.uniform(0.02, 0.08), rng.uniform(-0.04, 0.0)])
    out = fir(reference, taps)
    out += rng.uniform(0.02, 0.06) * reference[:, ::-1]
    for other_ref in others:
        out += rng.uniform(0.03, 0.12) * envelope(n, rng)[:, None] * other_ref
    if noise_db is None:
        noise_db = rng.uniform(-28, -15)
    level = math.sqrt(np.mean(reference ** 2)) * 10 ** (noise_db / 20)
    out += level * envelope(n, rng)[:, None] * rng.standard_normal((n, 2))
    return out


# --- the cases -------------------------------------------------------------------------

def w(fraction):
    return int(round(fraction * WINDOW))


def references_for(stems, n, rng):
    return {stem: to_16bit_grid(GENERATORS[stem](n, rng)) for stem in stems}


def as_float(refs):
    return {stem: ref.astype(np.float64) / 32768.0 for stem, ref in refs.items()}


def plain_estimates(refs, rng):
    floats = as_float(refs)
    return {stem: estimate_of(floats[stem], [floats[o] for o in floats if o != stem], rng)
            for stem in floats}


def case_01(rng):
    n = w(2)
    refs = references_for(["vocals", "drums", "bass", "other"], n, rng)
    return refs, plain_estimates(refs, rng)


def case_02(rng):
    n = w(1)
    parts = {stem: GENERATORS[stem](n, rng) for stem in ("drums", "bass", "other")}
    refs = {"vocals": to_16bit_grid(vocals(n, rng)),
            "accompaniment": to_16bit_grid(sum(parts.values()))}
    return refs, plain_estimates(refs, rng)


def case_03(rng):
    n = w(4)
    refs = references_for(["vocals", "drums"], n, rng)
    refs["vocals"][w(0.5):w(2)] = 0  # frame 0 half silent, frame 1 silent
    ests = plain_estimates(refs, rng)
    frame_2 = slice(w(2), w(3))
    ests["drums"][frame_2, 1] = -ests["drums"][frame_2, 0].astype(np.float32)  # R == -L
    return refs, ests


def case_04(rng):
    n = w(1)
    refs = references_for(["bass", "vocals"], n, rng)
    refs["bass"][:, 1] = refs["bass"][:, 0]  # mono in stereo: L == R
    return refs, plain_estimates(refs, rng)


def case_05(rng):
    n = w(1)
    refs = references_for(["vocals", "drums"], n, rng)
    ests = plain_estimates(refs, rng)
    ests["vocals"] = ests["vocals"][: w(0.75)]  # zero-padded at the end
    loud = 0.5 * rng.standard_normal((w(0.3), 2))
    ests["drums"] = np.concatenate([ests["drums"], loud])  # cut at the end
    return refs, ests


def case_06(rng):
    n = w(1.5)
    refs = references_for(["vocals", "other"], n, rng)
    ests = plain_estimates(refs, rng)
    ests["vocals"][w(1):] += 0.3 * rng.standard_normal((n - w(1), 2))  # unscored tail only
    return refs, ests


def case_07(rng):
    n = w(0.5)
    refs = references_for(["vocals", "bass"], n, rng)
    ests = plain_estimates(refs, rng)
    ests["bass"] = np.zeros_like(ests["bass"])
    return refs, ests


def case_08(rng):
    n = w(1)
    refs = references_for(["vocals", "drums"], n, rng)
    ests = plain_estimates(refs, rng)
    ests["vocals"] = as_float(refs)["vocals"].copy()  # bit-exact
    return refs, ests


def case_09(rng):
    n = w(0.5)
    refs = references_for(["vocals", "bass"], n, rng)
    return refs, plain_estimates(refs, rng)


def case_10(rng):
    n = w(1)
    refs = references_for(["vocals", "drums"], n, rng)
    refs["vocals"][:, 0] = 0  # left channel silent over the whole track, right audible
    return refs, plain_estimates(refs, rng)


def case_11(rng):
    n = w(1)
    refs = references_for(["vocals", "drums", "other"], n, rng)
    refs["other"] = refs["drums"].copy()  # two identical references
    return refs, plain_estimates(refs, rng)


def case_12(rng):
    n = w(1)
    refs = references_for(["vocals", "drums", "other"], n, rng)
    delay = 5  # < the filter length: within the span of the delayed drums
    refs["other"] = np.concatenate([np.zeros((delay, 2), np.int16), refs["drums"][:-delay]])
    return refs, plain_estimates(refs, rng)


def sec(fraction):
    return f"{w(fraction)} samples ({fraction:g} window)"


CASES = [
    ("01_basic_4stem", case_01, 101,
     f"Four targets (vocals: vibrato harmonic tone; drums: noise bursts with a low thump; "
     f"bass: low notes low-passed at 1 kHz; other: chord pad + pink-ish noise), {sec(2)}, "
     f"stereo, two frames. Each estimate is the reference through a short FIR with some "
     f"cross-channel bleed, plus time-varying leakage of the other references and white noise.",
     ["framewise v4 metrics with 8 basis channels (4 stereo stems)",
      "median of an even number of frames (mean of the two middle values)",
      "bass has nothing above 1 kHz except 16-bit rounding noise: well posed in double "
      "precision, badly conditioned for float32 correlations"]),
    ("02_vocals_accompaniment", case_02, 102,
     f"Two targets, vocals and accompaniment (accompaniment = drums + bass + other of the "
     f"same generators, rounded to 16 bit after summing), {sec(1)}, stereo, both evaluated "
     f"in one call.",
     ["a 2-stem call (4 basis channels)",
      "track length equal to one window: one frame covering the whole track"]),
    ("03_silent_frames", case_03, 103,
     f"Two targets, {sec(4)}. The vocals reference is exactly zero in samples "
     f"{w(0.5)}..{w(2) - 1}: frame 0 is only half silent and is evaluated, frame 1 is fully "
     f"silent. In frame 2 (samples {w(2)}..{w(3) - 1}) the drums estimate has right == -left "
     f"exactly: non-zero energy, but museval's silence test sums the channels first, so the "
     f"frame counts as silent. Frames 1 and 2 are NaN (null) for BOTH targets; frames 0 and 3 "
     f"are valid.",
     ["silent-frame rule: a reference or estimate of ANY stem of the call silent in a frame "
      "-> all metrics NaN for ALL stems in that frame",
      "silence = sum over channels == 0 at every sample of the frame (museval's test, not an "
      "energy test)",
      "a partially silent frame is evaluated", "median ignores NaN frames"]),
    ("04_mono_in_stereo", case_04, 104,
     f"Two targets, {sec(1)}. The bass reference is mono in stereo (left == right "
     f"bit-exactly); the estimates are ordinary stereo. The Gram matrix G (and the bass block "
     f"G_jj) is then singular up to round-off: LU with partial pivoting (museval: "
     f"numpy.linalg.solve on G + eps*I) or pivoted LDL^T succeed and give these values; plain "
     f"Cholesky fails ('not positive definite').",
     ["singular Gram matrix from an L == R reference",
      "projections are unique even though the filters are not"]),
    ("05_length_mismatch", case_05, 105,
     f"Two targets, references {sec(1)}. The vocals estimate has only {w(0.75)} samples and "
     f"must be zero-padded at the END; the drums estimate has {w(1.3)} samples (the extra "
     f"{w(0.3)} are loud noise) and must be cut at the END. The references are never "
     f"changed. All metrics (museval, SI-SDR, global SDR) use the adjusted estimates.",
     ["pad / cut estimates at the end to the reference length (museval pad_or_truncate), "
      "per stem"]),
    ("06_partial_last_window", case_06, 106,
     f"Two targets, {sec(1.5)}: one full frame (samples 0..{w(1) - 1}); the trailing "
     f"{w(0.5)} samples are never scored framewise but ARE used to fit the distortion "
     f"filters, and SI-SDR / global SDR use the whole track. The vocals estimate carries loud "
     f"noise only in that tail, so its global SDR and SI-SDR are low while its framewise SDR "
     f"is high.",
     [f"frame count floor((N - W + H) / H) = 1 for N = {w(1.5)}",
      "filters fitted on the whole track including the unscored tail",
      "SI-SDR and global SDR over the whole track"]),
    ("07_zero_estimate", case_07, 107,
     f"Two targets, {sec(0.5)}, shorter than one window. The bass estimate is all zeros (a "
     f"model that outputs nothing for bass). museval refuses the whole call (ValueError: 'All "
     f"the estimated sources should be non-silent ...') and returns no SDR/ISR/SIR/SAR for ANY "
     f"stem. The BSSEval values in this file are therefore OUR CHOSEN BEHAVIOUR, not museval "
     f"output: every frame and every median of every stem of the call is NaN (null), and the "
     f"evaluator should also report that the call was refused (error flag / message). This "
     f"equals what museval's own silent-frame rule gives when the whole-track check is "
     f"skipped (the zero estimate is silent in every frame). SI-SDR and global SDR are still "
     f"computed per stem: global SDR of the zero estimate is exactly 0 dB; its SI-SDR is 0/0 "
     f"and reported as -inf by convention (also our choice).",
     ["whole-track silence check: museval raises; report NaN for all BSSEval metrics of all "
      "stems + an error flag",
      "SI-SDR / global SDR unaffected for the other stem",
      "track shorter than one window -> 1 frame (frame count only; no museval values here)"]),
    ("08_perfect_estimate", case_08, 108,
     f"Two targets, {sec(1)}. The vocals estimate equals the reference bit-exactly. Its "
     f"framewise SDR is +inf (error energy exactly 0), which museval stores as NaN, so the "
     f"vocals SDR median is NaN (null), not a large number. Its ISR/SIR/SAR are "
     f"floating-point noise far above 100 dB (theoretically +inf) and only '> 100 dB or "
     f"+inf/NaN' can be required. SI-SDR is +inf; global SDR is finite "
     f"(10*log10((E + 1e-7) / 1e-7)). The drums target is ordinary.",
     ["+inf frame values become NaN before the median",
      "noise-level values (> 100 dB) are not reproducible",
      "SI-SDR +inf for a perfect estimate; global SDR finite thanks to delta"]),
    ("09_shorter_than_window", case_09, 109,
     f"Two targets, {sec(0.5)}, shorter than the {WINDOW}-sample window: museval evaluates "
     f"ONE frame covering the whole track (samples 0..{w(0.5) - 1}), not zero frames and not "
     f"a padded {WINDOW}-sample frame.",
     ["window >= track length -> a single frame [0, N)"]),
    ("10_silent_channel", case_10, 110,
     f"Two targets, {sec(1)}. The left channel of the vocals reference is exactly zero over "
     f"the whole track (the right one is audible, so the reference is not silent by museval's "
     f"rule). Its rows of the Gram matrix are zero: G + eps*I is regular, with eps alone on "
     f"that diagonal; the filters from that channel are 0.",
     ["a reference channel that is zero everywhere: zero rows in the Gram matrix",
      "a structured (block-Toeplitz) solver must give the dense solver's values"]),
    ("11_identical_references", case_11, 111,
     f"Three targets, {sec(1)}. The other reference is a bit-exact copy of the drums "
     f"reference; the estimates differ. G is singular (two equal block rows) up to eps; the "
     f"projections on all references are unique, the filters are not.",
     ["exactly singular Gram matrix from two identical references",
      "a structured solver must detect it and fall back to the dense pivoted solve"]),
    ("12_delayed_reference", case_12, 112,
     f"Three targets, {sec(1)}. The other reference is the drums reference delayed by 5 "
     f"samples (zeros first, the last 5 samples dropped): within the span of the delayed "
     f"drums up to the track edges, so G is singular but for the edge samples.",
     ["a reference that is a delayed copy of another (delay < filter length): nearly "
      "singular, block-Toeplitz Gram matrix",
      "a structured solver must give the dense solver's values or fall back"]),
]

SETTINGS_TEXT = {
    "filters": "time-invariant, fitted once per call on the whole track (all samples, "
               "including an unscored partial last window)",
    "grouping": "all stems of the case in ONE bss_eval call (museval eval_dir / evaluate); "
                "stems matched by file name",
    "length_rule": "estimates zero-padded or cut at the end to the reference length; "
                   "references unchanged",
    "frame_rule": "T = floor((N - window + hop) / hop) frames of [t*hop, t*hop + window) if "
                  "window < N, else one frame [0, N)",
    "frame_storage": "each framewise value rounded to 5 decimals (round half even); +-inf and "
                     "NaN stored as NaN (null in this file)",
    "median": "median over frames of the non-NaN stored values (mean of the two middle "
              "values for an even count); NaN if no frame is valid",
    "si_sdr": "no mean removal, no epsilon; si_sdr_shared_scale: one scale factor alpha for "
              "all channels (signals flattened); si_sdr_channel_mean: mean over channels of "
              "per-channel SI-SDR (own alpha each); +inf if the residual is exactly 0; -inf for "
              "an all-zero estimate (convention)",
    "global_sdr": "10*log10((sum s^2 + delta) / (sum (s - s_hat)^2 + delta)) over all samples "
                  "and channels of the length-adjusted signals",
    "json": "NaN -> null; +inf / -inf -> the strings \"inf\" / \"-inf\"",
}


# --- metrics that are not museval's ----------------------------------------------------

def dot(a, b):
    return math.fsum((a * b).ravel().tolist())


def si_sdr(estimate, reference):
    """One scale for all given samples; exact summation. +inf: zero residual; -inf: zero
    estimate; NaN: zero reference."""
    ref_energy = dot(reference, reference)
    if ref_energy == 0:
        return math.nan
    if not np.any(estimate):
        return -math.inf
    alpha = dot(estimate, reference) / ref_energy
    target = alpha * reference
    residual = estimate - target
    residual_energy = dot(residual, residual)
    if residual_energy == 0:
        return math.inf
    return 10 * math.log10(dot(target, target) / residual_energy)


def global_sdr(estimate, reference):
    error = reference - estimate
    return 10 * math.log10((dot(reference, reference) + GLOBAL_SDR_DELTA) /
                           (dot(error, error) + GLOBAL_SDR_DELTA))


def stored(value):
    """museval's storage: NaN for +-inf / NaN, else 5 decimals, half-even on the binary."""
    if not math.isfinite(value):
        return math.nan
    return float(decimal.Decimal(value).quantize(decimal.Decimal("0.00001"),
                                                 rounding=decimal.ROUND_HALF_EVEN))


def median(values):
    valid = sorted(v for v in values if not math.isnan(v))
    if not valid:
        return math.nan, 0
    middle = len(valid) // 2
    if len(valid) % 2:
        return valid[middle], len(valid)
    return (valid[middle - 1] + valid[middle]) / 2, len(valid)


def json_value(value):
    if math.isnan(value):
        return None
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return value


def json_stored(value):
    return None if math.isnan(value) else value


# --- one case --------------------------------------------------------------------------

def read_case(folder, stems):
    """The WAVs of a case as float64 (samples, channels) arrays, as the C++ test reads them."""
    def read(sub, stem):
        return soundfile.read(os.path.join(folder, sub, stem + ".wav"), dtype="float64",
                              always_2d=True)[0]
    return ({s: read("references", s) for s in stems}, {s: read("estimates", s) for s in stems})


def score(museval, ref, est, stems, at_start=False, scored_frames_only=False):
    """museval's BSSEval v4 + SI-SDR + global SDR of one case: the `targets` of expected.json
    plus the museval error (None or a dict). at_start / scored_frames_only give the wrong
    variants that check_bsseval_mistakes.py measures."""
    n, channels = ref[stems[0]].shape
    adjusted, adjustment = {}, {}
    for s in stems:
        e = est[s]
        if e.shape[0] < n:
            adjustment[s] = "zero_padded_at_end"
            pad = np.zeros((n - e.shape[0], channels))
            e = np.concatenate([pad, e] if at_start else [e, pad])
        elif e.shape[0] > n:
            adjustment[s] = "cut_at_end"
            e = e[e.shape[0] - n:] if at_start else e[:n]
        else:
            adjustment[s] = "none"
        adjusted[s] = e

    bounds = [[sl.start, sl.stop] for sl in museval.Framing(WINDOW, HOP, n)]
    fit = bounds[-1][1] if scored_frames_only else n
    error = None
    try:
        values = museval.bss_eval(np.stack([ref[s][:fit] for s in stems]),
                                  np.stack([adjusted[s][:fit] for s in stems]), window=WINDOW,
                                  hop=HOP, compute_permutation=False, filters_len=FILTER_TAPS,
                                  framewise_filters=False, bsseval_sources_version=False)[:4]
        raw = {m: np.asarray(values[i], dtype=np.float64) for i, m in enumerate(METRICS)}
    except ValueError as exc:  # the whole-track check: our chosen behaviour is all NaN
        error = {"exception": type(exc).__name__, "message": str(exc)}
        raw = {m: np.full((len(stems), len(bounds)), np.nan) for m in METRICS}

    targets = {}
    for j, s in enumerate(stems):
        frames = {m: [stored(float(v)) for v in raw[m][j]] for m in METRICS}
        medians = {m: median(frames[m]) for m in METRICS}
        error_signal = ref[s] - adjusted[s]
        targets[s] = {
            "reference_samples": n,
            "estimate_samples": est[s].shape[0],
            "estimate_adjustment": adjustment[s],
            "frames": {m: [json_stored(v) for v in frames[m]] for m in METRICS},
            "frames_unrounded": {m: [json_value(float(v)) for v in raw[m][j]] for m in METRICS},
            "median": {m: json_stored(medians[m][0]) for m in METRICS},
            "n_valid_frames": {m: medians[m][1] for m in METRICS},
            "si_sdr_shared_scale": json_value(si_sdr(adjusted[s], ref[s])),
            "si_sdr_channel_mean": json_value(float(np.mean(
                [si_sdr(adjusted[s][:, c], ref[s][:, c]) for c in range(channels)]))),
            "si_sdr_per_channel": [json_value(si_sdr(adjusted[s][:, c], ref[s][:, c]))
                                   for c in range(channels)],
            "global_sdr": global_sdr(adjusted[s], ref[s]),
            "energy_reference": dot(ref[s], ref[s]),
            "energy_error": dot(error_signal, error_signal),
        }
    return targets, error


def write_float_wav(path, samples):
    """IEEE float WAV without libsndfile's PEAK chunk (it holds a time stamp, so the file
    would change on every run)."""
    with soundfile.SoundFile(path, "w", SAMPLE_RATE, samples.shape[1], "FLOAT") as file:
        SFC_SET_ADD_PEAK_CHUNK = 0x1050  # sndfile.h
        soundfile._snd.sf_command(file._file, SFC_SET_ADD_PEAK_CHUNK, soundfile._ffi.NULL, 0)
        file.write(samples)


def write_case(museval, out_dir, name, make, seed, description, tests):
    rng = np.random.default_rng(seed)
    refs, ests = make(rng)
    stems = list(refs)
    folder = os.path.join(out_dir, name)
    for sub in ("references", "estimates"):
        os.makedirs(os.path.join(folder, sub))
    for stem in stems:
        # References: 16-bit PCM, written as int16 so that no scaling is involved; read back
        # as k / 32768 exactly. Estimates: float32.
        soundfile.write(os.path.join(folder, "references", stem + ".wav"), refs[stem],
                        SAMPLE_RATE, subtype="PCM_16")
        write_float_wav(os.path.join(folder, "estimates", stem + ".wav"),
                        np.asarray(ests[stem], dtype=np.float32))

    ref, est = read_case(folder, stems)
    for s in stems:
        assert np.array_equal(ref[s] * 32768.0, refs[s].astype(np.float64)), s
        assert np.array_equal(est[s], np.asarray(ests[s], dtype=np.float32).astype(np.float64))
    n, channels = ref[stems[0]].shape
    targets, error = score(museval, ref, est, stems)
    bounds = [[sl.start, sl.stop] for sl in museval.Framing(WINDOW, HOP, n)]
    call = (f"museval.metrics.bss_eval(refs, ests, window={WINDOW}, hop={HOP}, "
            f"compute_permutation=False, filters_len={FILTER_TAPS}, framewise_filters=False, "
            f"bsseval_sources_version=False)")
    expected = {
        "case": name,
        "description": description,
        "tests": tests,
        "settings": {"sample_rate": SAMPLE_RATE, "window": WINDOW, "hop": HOP,
                     "filter_taps": FILTER_TAPS, "mode": "v4",
                     "gram_diagonal_eps": float(np.finfo(float).eps),
                     "global_sdr_delta": GLOBAL_SDR_DELTA, **SETTINGS_TEXT},
        "reference_implementation": {"name": "museval", "version": "0.4.1",
                                     "commit": MUSEVAL_COMMIT, "call": call,
                                     "numpy": np.__version__,
                                     "scipy": museval.scipy.__version__},
        "generator": {"script": "tests/data/make_bsseval.py", "seed": seed},
        "n_samples": n,
        "n_channels": channels,
        "n_frames": len(bounds),
        "frame_bounds": bounds,
        "stems": stems,
        "bsseval_source": "chosen_behaviour" if error else "museval",
        "museval_error": error,
        "tolerance_db": TOLERANCE_DB,
        "noise_level_db": NOISE_LEVEL_DB,
        "targets": targets,
    }
    with open(os.path.join(folder, "expected.json"), "w") as file:
        json.dump(expected, file, indent=1, allow_nan=False)
        file.write("\n")
    return expected


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    museval = load_museval(sys.argv[1])
    out_dir = sys.argv[2] if len(sys.argv) == 3 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "bsseval")
    for name, *_ in CASES:
        shutil.rmtree(os.path.join(out_dir, name), ignore_errors=True)
    os.makedirs(out_dir, exist_ok=True)
    for name, make, seed, description, tests in CASES:
        expected = write_case(museval, out_dir, name, make, seed, description, tests)
        print(f"{name}: {expected['n_samples']} samples, {expected['n_frames']} frame(s)")
        for stem, target in expected["targets"].items():
            median = target["median"]
            print(f"  {stem:14s} SDR {median['SDR']} ISR {median['ISR']} SIR {median['SIR']} "
                  f"SAR {median['SAR']} SI-SDR {target['si_sdr_shared_scale']} / "
                  f"{target['si_sdr_channel_mean']} global {target['global_sdr']}")


if __name__ == "__main__":
    main()
