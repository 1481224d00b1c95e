package dev.nnkit.gradcheck.kit;

import static dev.nnkit.gradcheck.kit.KitAssertions.assertFailsOnly;
import static dev.nnkit.gradcheck.kit.KitAssertions.assertPasses;
import static dev.nnkit.gradcheck.kit.KitAssertions.assertPassesWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nnkit.PluginRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The schedule checks accept correct schedules and catch each planted bug, saying what is wrong. */
class ScheduleKitTest {

    private static ConformanceReport check(String spec) {
        return KitRegistry.conformance().schedule(spec).run();
    }

    @Test
    void acceptsACorrectDecayAndNamesEveryCheck() {
        ConformanceReport report = check("kit_exponential(rate=0.5)");
        assertPasses(report);
        assertEquals(List.of("registered", "spec round-trip", "pure", "finite and >= 0", "starts at the base rate",
                "composes with warm-up"), report.results().stream().map(CheckResult::check).toList());
        assertPassesWith(report, "composes with warm-up", "^\"warmup\\(steps=10, then=kit_exponential\\(rate=0.5\\)\\)\" "
                + "round-trips, is made by the registry and gives min\\(1, step / 10\\) times the schedule's rate at \\d+ positions$");
        assertPassesWith(report, "finite and >= 0", "up to step 1007169830443, base rates 1e-4 to 1.2: finite, from 0 to 1 "
                + "times the base rate$");
    }

    @Test
    void aWarmUpIsCheckedWithoutTheStartPromise() {
        ConformanceReport report = KitRegistry.conformance().schedule(null, "warmup(steps=5, then=kit_exponential(rate=0.5))",
                false).run();
        assertPasses(report);
        assertEquals(List.of("registered", "spec round-trip", "pure", "finite and >= 0", "composes with warm-up"),
                report.results().stream().map(CheckResult::check).toList());
        // asked to start at the base rate, it does not
        assertFailsOnly(check("warmup(steps=5)"), List.of("starts at the base rate"),
                "^schedule 'warmup\\(steps=5\\)': starts at the base rate: step 1 \\(epoch 1, 1 steps per epoch, base rate "
                        + "1e-4\\) gives [0-9.eE-]+; a schedule that starts at alpha0 must give the base rate at step 1");
    }

    @Test
    void catchesAScheduleThatCountsItsCalls() {
        assertFailsOnly(check("kit_counting_decay(rate=0.9)"), List.of("pure"),
                "^schedule 'kit_counting_decay\\(rate=0.9\\)': pure: at step \\d+ \\(epoch \\d+, \\d+ steps per epoch, base rate "
                        + "0.01\\) the first call gave [-0-9.eE]+, the same instance, called again in reverse order after \\d+ calls "
                        + "gave [-0-9.eE]+; a schedule must be a pure function of its arguments, keeping no state that changes "
                        + "between calls \\(a run resumed from a checkpoint would follow another curve\\)$");
    }

    @Test
    void catchesARateThatTurnsNegative() {
        assertFailsOnly(check("kit_linear_decay(steps=1000)"), List.of("finite and >= 0"),
                "^schedule 'kit_linear_decay\\(steps=1000\\)': finite and >= 0: at step 1002 \\(epoch 1002, 1 steps per epoch, "
                        + "base rate 1e-4\\) the rate is -[0-9.eE-]+; a schedule must give a finite rate >= 0 at every step a run "
                        + "can reach");
    }

    @Test
    void catchesTheFirstEpochAlreadyDecayed() {
        assertFailsOnly(check("kit_late_exponential(rate=0.9)"), List.of("starts at the base rate"),
                "starts at the base rate: step 1 \\(epoch 1, 1 steps per epoch, base rate 1e-4\\) gives 9.0[0-9]*E-5; a schedule that "
                        + "starts at alpha0 must give the base rate at step 1 \\(count the epochs done from 0, as the notes do: "
                        + "t = epoch - 1\\)");
    }

    @Test
    void composingNeedsARegistryWithCoresWarmUp() {
        PluginRegistry withoutWarmup = PluginRegistry.of(KitSchedules.providers());
        assertFailsOnly(Conformance.of(withoutWarmup).schedule("kit_exponential(rate=0.5)").run(), List.of("composes with warm-up"),
                "the registry has no 'warmup' schedule to compose with \\(core's dev.nnkit.schedules.LinearWarmup\\)");
    }

    @Test
    void aScheduleRegisteredUnderAnotherClassIsCaught() {
        assertFailsOnly(KitRegistry.conformance().schedule(KitSchedules.Exponential.class, "exponential(rate=0.5)", true).run(),
                List.of("registered"), "maps the schedule name 'exponential' to dev.nnkit.schedules.ExponentialDecay");
    }
}
