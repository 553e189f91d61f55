/**
 * Reports: one self-contained HTML page from the folders that training runs ({@code results.json})
 * and attacks ({@code attack.json}, {@code originals.npy}, {@code reconstructions.npy}) leave
 * behind. The page holds a table of the runs, their training curves, the accuracy/leakage trade-off
 * across runs and pictures of what an attacker reconstructed; its images are PNG data URIs, its
 * style is inline, it needs no script and no network. Charts are JFreeChart's; image grids are the
 * samples' own pixels. {@link dev.splitlearn.report.Report} is the entry point.
 */
package dev.splitlearn.report;
