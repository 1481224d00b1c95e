package dev.nnkit.gradcheck.kit;

import static dev.nnkit.gradcheck.kit.Numerics.fmt;

import dev.nnkit.spi.PluginException;
import dev.nnkit.spi.PluginSpec;
import dev.nnkit.spi.Schedule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** The checks of a learning-rate {@link Schedule}; see {@link Conformance#schedule(String)}. */
final class ScheduleChecks {

    /** The steps per epoch of the positions checked: full batch, a few batches, MNIST's 60,000 in batches of 128. */
    static final int[] STEPS_PER_EPOCH = {1, 7, 469};
    /** The base rates checked. */
    static final double[] BASE_RATES = {1e-4, 0.01, 1.2};
    /** Every step from 1 to this is checked, for each number of steps per epoch. */
    static final int EVERY_STEP_UP_TO = 3000;
    /** The warm-up of the composition check. */
    static final int WARMUP_STEPS = 10;

    private final Maker<Schedule> maker;
    private final boolean startsAtBaseRate;

    ScheduleChecks(Maker<Schedule> maker, boolean startsAtBaseRate) {
        this.maker = maker;
        this.startsAtBaseRate = startsAtBaseRate;
    }

    List<Check> all() {
        String label = maker.label();
        List<Check> checks = new ArrayList<>(List.of(
                PluginChecks.registered(maker),
                PluginChecks.roundTrip(maker, BEHAVIOUR),
                new Check(label, "pure", this::pure),
                new Check(label, "finite and >= 0", this::finite)));
        if (startsAtBaseRate) {
            checks.add(new Check(label, "starts at the base rate", this::startsAtBase));
        }
        checks.add(new Check(label, "composes with warm-up", this::composes));
        return checks;
    }

    /** Where a step is: its number, its epoch and the steps per epoch, from 1. */
    record Position(long step, int epoch, int stepsPerEpoch) {
        static Position of(long step, int stepsPerEpoch) {
            return new Position(step, (int) ((step - 1) / stepsPerEpoch + 1), stepsPerEpoch);
        }

        double rate(Schedule schedule, double baseRate) {
            return schedule.learningRate(baseRate, step, epoch, stepsPerEpoch);
        }

        String describe(double baseRate) {
            return "step " + step + " (epoch " + epoch + ", " + stepsPerEpoch + " steps per epoch, base rate " + fmt(baseRate) + ")";
        }
    }

    /**
     * Every step from 1 to {@value #EVERY_STEP_UP_TO}, then steps spread geometrically (each about
     * 1.5 times the one before, with its neighbours) up to the last whose epoch fits an {@code int},
     * for each of {@link #STEPS_PER_EPOCH}.
     */
    static List<Position> longRange() {
        List<Position> positions = new ArrayList<>();
        for (int spe : STEPS_PER_EPOCH) {
            long last = (long) spe * Integer.MAX_VALUE;
            for (long step = 1; step <= EVERY_STEP_UP_TO; step++) {
                positions.add(Position.of(step, spe));
            }
            for (double s = EVERY_STEP_UP_TO; s < last; s *= 1.5) {
                long step = (long) s;
                for (long k = step - 1; k <= step + 1; k++) {
                    positions.add(Position.of(k, spe));
                }
            }
            positions.add(Position.of(last - 1, spe));
            positions.add(Position.of(last, spe));
        }
        return positions;
    }

    /** A sample for the comparisons: the first 40 steps, epoch boundaries and a few far positions. */
    static List<Position> sample() {
        List<Position> positions = new ArrayList<>();
        for (int spe : STEPS_PER_EPOCH) {
            for (long step = 1; step <= 40; step++) {
                positions.add(Position.of(step, spe));
            }
            for (long epoch : new long[] {2, 3, 7, 10, 31, 100, 1000}) {
                positions.add(Position.of((epoch - 1) * spe, spe));
                positions.add(Position.of((epoch - 1) * spe + 1, spe));
            }
            positions.add(Position.of(1_000_003, spe));
            positions.add(Position.of((long) spe * Integer.MAX_VALUE, spe));
        }
        return positions;
    }

    private static final PluginChecks.Behaviour<Schedule> BEHAVIOUR = new PluginChecks.Behaviour<>() {
        @Override
        public String sample() {
            return "rates at " + ScheduleChecks.sample().size() + " positions";
        }

        @Override
        public String difference(Schedule a, Schedule b) {
            for (Position p : ScheduleChecks.sample()) {
                double ra = p.rate(a, 0.01);
                double rb = p.rate(b, 0.01);
                if (Double.doubleToLongBits(ra) != Double.doubleToLongBits(rb)) {
                    return "at " + p.describe(0.01) + ": " + ra + " and " + rb;
                }
            }
            return null;
        }
    };

    /**
     * The sample of positions is evaluated in order, then in reverse order on the same instance,
     * then shuffled on a fresh instance, each position twice in a row: every evaluation of a
     * position gives the same bits. A schedule that counts its calls, or keeps the last epoch it
     * saw, fails; it would also make a resumed run (whose first call is at step {@code k + 1})
     * follow another curve.
     */
    private String pure() {
        String check = "pure";
        List<Position> positions = sample();
        double base = 0.01;
        Schedule first = maker.make();
        double[] reference = new double[positions.size()];
        for (int i = 0; i < reference.length; i++) {
            reference[i] = positions.get(i).rate(first, base);
        }
        for (int i = reference.length - 1; i >= 0; i--) {
            compare(check, positions.get(i), base, reference[i], positions.get(i).rate(first, base),
                    "the same instance, called again in reverse order after " + reference.length + " calls");
        }
        Schedule second = maker.make();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < reference.length; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(81));
        for (int i : order) {
            Position p = positions.get(i);
            compare(check, p, base, reference[i], p.rate(second, base), "a fresh instance, called in shuffled order");
            compare(check, p, base, reference[i], p.rate(second, base), "a fresh instance, called twice in a row");
        }
        return reference.length + " positions give the same bits in order, in reverse order, shuffled on a fresh instance and "
                + "twice in a row";
    }

    private static void compare(String check, Position p, double base, double expected, double got, String how) {
        if (Double.doubleToLongBits(expected) != Double.doubleToLongBits(got)) {
            throw new CheckFailure(check + ": at " + p.describe(base) + " the first call gave " + expected + ", " + how + " gave "
                    + got + "; a schedule must be a pure function of its arguments, keeping no state that changes between "
                    + "calls (a run resumed from a checkpoint would follow another curve)");
        }
    }

    /**
     * For each base rate of {@link #BASE_RATES} and each position of {@link #longRange()} (every
     * step up to {@value #EVERY_STEP_UP_TO} and far beyond, for 1, 7 and 469 steps per epoch), the
     * rate is finite and {@code >= 0}: what the trainer requires of every step.
     */
    private String finite() {
        String check = "finite and >= 0";
        Schedule schedule = maker.make();
        List<Position> positions = longRange();
        double lowest = Double.POSITIVE_INFINITY;
        double highest = 0;
        for (double base : BASE_RATES) {
            for (Position p : positions) {
                double rate = p.rate(schedule, base);
                if (!(rate >= 0 && rate < Double.POSITIVE_INFINITY)) {
                    throw new CheckFailure(check + ": at " + p.describe(base) + " the rate is " + rate + "; a schedule must give "
                            + "a finite rate >= 0 at every step a run can reach (the trainer stops with an error there)");
                }
                lowest = Math.min(lowest, rate / base);
                highest = Math.max(highest, rate / base);
            }
        }
        return positions.size() * BASE_RATES.length + " positions up to step " + positions.get(positions.size() - 1).step()
                + ", base rates " + fmt(BASE_RATES[0]) + " to " + fmt(BASE_RATES[BASE_RATES.length - 1])
                + ": finite, from " + fmt(lowest) + " to " + fmt(highest) + " times the base rate";
    }

    /**
     * Step 1 (epoch 1) runs at the base rate, within a relative {@code 1e-12}, for every base rate and
     * number of steps per epoch, each asked of a fresh instance (state is the business of
     * {@link #pure}): checked only for a schedule that promises it (every decay does; a warm-up does
     * not).
     */
    private String startsAtBase() {
        String check = "starts at the base rate";
        for (int spe : STEPS_PER_EPOCH) {
            for (double base : BASE_RATES) {
                Position p = Position.of(1, spe);
                double rate = p.rate(maker.make(), base);
                if (!(Math.abs(rate - base) <= 1e-12 * base)) {
                    throw new CheckFailure(check + ": " + p.describe(base) + " gives " + rate + "; a schedule that starts at "
                            + "alpha0 must give the base rate at step 1 (count the epochs done from 0, as the notes do: "
                            + "t = epoch - 1). A schedule that does not promise it (a warm-up) is checked with "
                            + "Conformance.schedule(type, spec, false)");
                }
            }
        }
        return "step 1 gives the base rate for " + BASE_RATES.length + " base rates and " + STEPS_PER_EPOCH.length
                + " numbers of steps per epoch";
    }

    /**
     * {@code toString()} nests as the {@code then} of the registry's {@code warmup}: the spec
     * {@code warmup(steps=10, then=<toString()>)} parses and round-trips, the registry makes it from
     * its own plugins, and at every position of the sample it gives
     * {@code min(1, step / 10)} times the schedule's rate (within a relative {@code 1e-12}).
     */
    private String composes() {
        String check = "composes with warm-up";
        Schedule inner = maker.make();
        String text = "warmup(steps=" + WARMUP_STEPS + ", then=" + inner + ")";
        PluginSpec parsed;
        try {
            parsed = PluginSpec.parse(text);
        } catch (PluginException e) {
            throw new CheckFailure(check + ": \"" + text + "\" does not parse: " + e.getMessage());
        }
        if (!parsed.toString().equals(text)) {
            throw new CheckFailure(check + ": \"" + text + "\" parses to \"" + parsed + "\"; the nested spec must round-trip");
        }
        if (!maker.registry.names(Schedule.class).contains("warmup")) {
            throw new CheckFailure(check + ": the registry has no 'warmup' schedule to compose with (core's "
                    + "dev.nnkit.schedules.LinearWarmup); check against a registry with core's schedules, e.g. "
                    + "Conformance.defaults()");
        }
        Schedule composed;
        try {
            composed = maker.registry.create(Schedule.class, text);
        } catch (PluginException e) {
            throw new CheckFailure(check + ": the registry cannot make \"" + text + "\": " + e.getMessage());
        }
        if (!text.equals(String.valueOf(composed))) {
            throw new CheckFailure(check + ": \"" + text + "\" makes a schedule whose toString() is \"" + composed + "\"");
        }
        Schedule alone = maker.make();
        int checked = 0;
        for (Position p : sample()) {
            double base = 0.01;
            double rate = p.rate(alone, base);
            double expected = p.step() >= WARMUP_STEPS ? rate : rate * ((double) p.step() / WARMUP_STEPS);
            double got = p.rate(composed, base);
            if (!(Math.abs(got - expected) <= 1e-12 * Math.abs(expected))) {
                throw new CheckFailure(check + ": at " + p.describe(base) + " \"" + text + "\" gives " + got + " where min(1, step / "
                        + WARMUP_STEPS + ") times the schedule's rate " + rate + " is " + expected);
            }
            checked++;
        }
        return "\"" + text + "\" round-trips, is made by the registry and gives min(1, step / " + WARMUP_STEPS
                + ") times the schedule's rate at " + checked + " positions";
    }
}
