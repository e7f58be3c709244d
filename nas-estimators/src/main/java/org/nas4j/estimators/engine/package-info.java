/**
 * The nas4j training engine: a small reverse-mode engine that calls ND4J's native ops directly.
 *
 * <p>A network is built from explicit {@link org.nas4j.estimators.engine.Layer} objects, each with a
 * {@code forward} and a {@code backward} method; there is no tape. Every layer owns its output and gradient buffers,
 * allocated once per input shape and reused across steps, and every native op call site
 * ({@link org.nas4j.estimators.engine.NativeOp}) builds its op context once. Trainable values live as views into
 * one flat buffer of a {@link org.nas4j.estimators.engine.ParameterSet}, so an optimizer updates them with a few
 * native calls.
 *
 * <p>Why not SameDiff or DL4J layers: on the machines this was measured on they were 8-30x slower than PyTorch for
 * a training step, while direct op calls with reused buffers came within ~1.3x (see the project's performance notes).
 *
 * <p>The engine is not thread-safe: a network (with its layers and buffers) is used by one thread at a time.
 */
package org.nas4j.estimators.engine;
