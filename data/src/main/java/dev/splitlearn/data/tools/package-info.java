/**
 * Small command-line tools around the data module, such as {@link
 * dev.splitlearn.data.tools.MakeSubset}, which cuts an MNIST-style demo fixture out of a full data
 * set.
 */
package dev.splitlearn.data.tools;
