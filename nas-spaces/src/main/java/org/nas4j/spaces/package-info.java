/** Built-in search spaces; {@link org.nas4j.spaces.Spaces} is the entry point. */
package org.nas4j.spaces;
