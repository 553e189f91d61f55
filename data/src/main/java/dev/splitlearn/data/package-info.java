/**
 * Data sets for split learning: immutable in-memory {@link dev.splitlearn.data.Dataset}s, readers
 * for MNIST and Fashion-MNIST ({@link dev.splitlearn.data.IdxReader}), CIFAR-10 ({@link
 * dev.splitlearn.data.Cifar10}) and the MIT-BIH Arrhythmia Database ({@link
 * dev.splitlearn.data.MitBih}), a locator that finds or downloads them ({@link
 * dev.splitlearn.data.DataLocator}, {@link dev.splitlearn.data.DataSets}), and seeded IID and
 * Dirichlet partitioners that deal a data set out to clients ({@link
 * dev.splitlearn.data.Partitioner}).
 *
 * <p>Data flows: {@code DataSets.load(name, options)} gives a {@link
 * dev.splitlearn.data.TrainTest}; the training set goes through the {@code Partitioner} to one data
 * set per client; clients copy mini-batches out with {@link dev.splitlearn.data.Dataset#copyBatch}.
 *
 * <p>The module uses the JDK only. Malformed files raise {@link java.io.IOException}s whose
 * one-line message starts with the file's path and says what is wrong.
 */
package dev.splitlearn.data;
