/**
 * Readers for PhysioNet's WFDB format, enough for the MIT-BIH Arrhythmia Database: header files
 * ({@link dev.splitlearn.data.wfdb.WfdbHeader}), format-212 signal files verified against the
 * header's checksums ({@link dev.splitlearn.data.wfdb.WfdbRecord}, {@link
 * dev.splitlearn.data.wfdb.Format212}), and MIT-format annotation files ({@link
 * dev.splitlearn.data.wfdb.Annotations}).
 *
 * <p>This package does not depend on the rest of the data module; {@link
 * dev.splitlearn.data.MitBih} turns records into beat data sets.
 */
package dev.splitlearn.data.wfdb;
