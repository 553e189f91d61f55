/**
 * Choosing where the network is cut under a client's limits. PrivyNet's topology planner fits
 * accuracy and leakage of a frozen pre-trained extractor (k blocks, c channels) from a few measured
 * points and picks the most accurate topology that the limits allow ({@link
 * dev.splitlearn.models.planner.TopologyPlanner}); SliceNet cuts a model over a chain of weak
 * devices so that the total time per sample is least ({@link
 * dev.splitlearn.models.planner.SliceNet}). Pure arithmetic on figures the caller computed from the
 * model: no engine work here.
 */
package dev.splitlearn.models.planner;
