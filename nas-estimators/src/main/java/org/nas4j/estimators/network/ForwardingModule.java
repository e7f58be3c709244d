package org.nas4j.estimators.network;

/**
 * A module that hands every call to another one: extend it and override what you want to observe or change (count
 * an op's passes, time it, check its inputs), as {@link ModuleCatalogue#wrapped} does for a whole catalogue.
 *
 * <pre>{@code
 * Map<String, Integer> passes = new TreeMap<>();
 * ModuleCatalogue counting = ModuleCatalogue.standard().wrapped((op, module) -> new ForwardingModule(module) {
 *     public INDArray forward(INDArray input, Mode mode) {
 *         passes.merge(op, 1, Integer::sum);
 *         return super.forward(input, mode);
 *     }
 * });
 * }</pre>
 *
 * <p>{@link #afterLeadingRelu()} keeps the default (empty): a cell that reads the wrapped module's leading ReLU
 * itself would otherwise skip the wrapper's {@link #forward}.
 */
public abstract class ForwardingModule extends DelegatingModule {

    private final Module delegate;

    /** @param delegate the module every call goes to */
    protected ForwardingModule(Module delegate) {
        super(delegate);
        this.delegate = delegate;
    }

    /** The module every call goes to. */
    protected final Module delegate() {
        return delegate;
    }

    @Override
    public String export(GraphSink sink, String input) {
        return delegate.export(sink, input);
    }
}
