package dev.splitlearn.data.wfdb;

import java.util.OptionalInt;

/**
 * One signal line of a WFDB header ({@code .hea}), e.g. {@code 100.dat 212 200 11 1024 995 -22131 0
 * MLII}.
 *
 * <p>Physical value = {@code (adc - baseline) / gain} in {@code units}.
 *
 * @param fileName the signal file, relative to the header's directory
 * @param format the storage format (only 212 is decoded)
 * @param gain ADC units per physical unit; WFDB's default 200 when the header gives 0 or nothing
 * @param baseline the ADC value of physical zero (defaults to {@code adcZero})
 * @param units physical units, {@code "mV"} by default
 * @param adcResolution ADC resolution in bits (default 12 for format 212)
 * @param adcZero the ADC value at the middle of its range
 * @param initialValue the first sample (defaults to {@code adcZero})
 * @param checksum the 16-bit checksum of all samples (sum mod 2^16, as a signed short), if given
 * @param blockSize the block size, 0 for ordinary files
 * @param description the signal's description, e.g. {@code MLII}, {@code V1}, {@code V5}; may be
 *     empty
 */
public record SignalSpec(
    String fileName,
    int format,
    double gain,
    int baseline,
    String units,
    int adcResolution,
    int adcZero,
    int initialValue,
    OptionalInt checksum,
    int blockSize,
    String description) {}
