package org.lockergate.core.internal.policy;

import org.lockergate.api.spi.AllocationPolicy;
import org.lockergate.api.spi.FeePolicy;

/**
 * The highest-ranked allocation and fee policies (bound greedily by the core component), with the built-in ones
 * as the fallback while none is bound.
 */
public final class Policies {

    private final AllocationPolicy builtInAllocation = new SmallestFitAllocation();
    private final FeePolicy builtInFee = new BasicFeePolicy();
    private volatile AllocationPolicy allocation;
    private volatile FeePolicy fee;

    public AllocationPolicy allocation() {
        AllocationPolicy policy = allocation;
        return policy == null ? builtInAllocation : policy;
    }

    public FeePolicy fee() {
        FeePolicy policy = fee;
        return policy == null ? builtInFee : policy;
    }

    public void allocation(AllocationPolicy policy) {
        this.allocation = policy;
    }

    public void fee(FeePolicy policy) {
        this.fee = policy;
    }
}
