#pragma once
// Small numeric helpers shared by the metric implementations (private).

#include <cstdint>
#include <vector>

namespace auralflow::metrics::detail {

/// Smallest power of two >= n (n >= 1).
int64_t next_power_of_two(int64_t n);

/// Smallest 2^a 3^b 5^c >= n (n >= 1): a length the FFT handles about as fast as a power
/// of two, without the up to 2x padding of one.
int64_t next_fast_size(int64_t n);

/// museval's _safe_db: +inf if denominator == 0, else 10 log10(numerator / denominator).
double safe_db(double numerator, double denominator);

/// museval's storage of a framewise value: NaN for +-inf and NaN, otherwise the value
/// rounded to 5 decimals, round half even on the exact binary value (Python
/// Decimal(v).quantize(Decimal('0.00001'))).
double quantize(double value);

/// Median of the non-NaN values (mean of the two middle ones for an even count);
/// NaN if there are none.
double nan_median(std::vector<double> values);

/// Mean of the non-NaN values; NaN if there are none.
double nan_mean(const std::vector<double>& values);

}  // namespace auralflow::metrics::detail
