/**
 * 1-D cells for time-series classification (POPNASv3): the operator set of POPNASv3's time-series experiments on
 * {@code channels x 1 x length} maps ({@link org.nas4j.spaces.timeseries.TimeSeriesOps}), and the cell space and
 * skeleton written with the space builder ({@link org.nas4j.spaces.timeseries.TimeSeriesSpace}).
 */
package org.nas4j.spaces.timeseries;
