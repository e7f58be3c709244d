/** Which ND4J backend and native binary are in use. */
package org.nas4j.estimators.backend;
