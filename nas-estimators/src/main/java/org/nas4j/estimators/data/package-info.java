/** Datasets: IDX (MNIST, Fashion-MNIST) and CSV readers, splits, normalisation, augmentation. */
package org.nas4j.estimators.data;
