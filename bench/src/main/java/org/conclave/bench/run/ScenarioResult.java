package org.conclave.bench.run;

import java.util.List;

/**
 * One scenario against one target: every step measured, or the error that stopped it.
 *
 * @param idleRssKb the target's resident memory once started, before anyone joined
 * @param srtpProfile the SRTP profile the target negotiated
 * @param idleHeapBytes the target JVM's live objects once started, before anyone joined (-1: not measured)
 * @param heapOwners live heap per participant by owner at the dumped step (markdown), or null
 */
public record ScenarioResult(String scenario, String title, String target, String targetDescription, long idleRssKb,
        String srtpProfile, List<StepResult> steps, String error, long idleHeapBytes, String heapOwners) {

    /** Loss at or above this fraction ends the ramp: the step before is the knee. */
    public static final double LOSS_LIMIT = 0.005;
    /** A step where the generator sent less than this share of its load measured the generator, not the target. */
    public static final double MIN_SENT_RATIO = 0.97;

    /** Whether step i ends the ramp: too much loss, or a generator that could not keep up. */
    public static boolean endsRamp(StepResult s) {
        return s.loss() >= LOSS_LIMIT || s.generatorLimited();
    }

    /** Index of the last step with loss under the limit before the first one that ends the ramp, or -1. */
    public int knee() {
        int knee = -1;
        for (int i = 0; i < steps.size(); i++) {
            if (endsRamp(steps.get(i))) break;
            knee = i;
        }
        return knee;
    }

    /** Whether the target never failed: the steps ran out or the generator gave out first (a lower bound). */
    public boolean kneeIsLowerBound() {
        int k = knee();
        return k >= 0 && (k == steps.size() - 1 || generatorBound());
    }

    /** Whether the ramp ended because the generator could not send the load (with acceptable loss). */
    public boolean generatorBound() {
        int k = knee();
        if (k + 1 >= steps.size()) return false;
        StepResult next = steps.get(k + 1);
        return next.generatorLimited() && next.loss() < LOSS_LIMIT;
    }

    /** The step whose offered load is closest to half the knee's (for latency at 50% load), or -1. */
    public int halfLoad() {
        int k = knee();
        if (k < 0) return -1;
        double half = steps.get(k).offeredPps() / 2;
        int best = 0;
        for (int i = 0; i <= k; i++) {
            if (Math.abs(steps.get(i).offeredPps() - half) < Math.abs(steps.get(best).offeredPps() - half)) best = i;
        }
        return best;
    }
}
