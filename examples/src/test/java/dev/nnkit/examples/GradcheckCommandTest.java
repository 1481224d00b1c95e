package dev.nnkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.PluginRegistry;
import dev.nnkit.gradcheck.GradientCheckReport;
import dev.nnkit.gradcheck.GradientCheckReport.Verdict;
import dev.nnkit.spi.Activation;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Gradient checking (MATH §6): a correct network passes; a planted bug is found and located. */
class GradcheckCommandTest {

    @Test
    void theCorrectNetworkPassesAndThePlantedBugIsFoundInLayerOneOnly(@TempDir Path dir) throws IOException {
        GradcheckCommand command = new GradcheckCommand();
        new CommandLine(command).parseArgs("--out", dir.toString());
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        GradcheckCommand.Run run = (GradcheckCommand.Run) command.run(new PrintStream(buffer, true, StandardCharsets.UTF_8));

        GradientCheckReport good = run.correct();
        assertTrue(good.verdict().passes(), good.toString());
        assertTrue(good.vectorRelativeError() < 1e-7, good.toString());
        // dropout is switched off while checking and named in the report
        assertEquals(2, good.disabledRegularizers().size(), good.toString());

        GradientCheckReport bad = run.buggy();
        assertEquals(Verdict.WRONG, bad.verdict(), bad.toString());
        assertFalse(bad.array(1, "W").verdict().passes(), bad.toString());
        assertFalse(bad.array(1, "b").verdict().passes(), bad.toString());
        // dZ[1] is wrong, but dW[2] = dZ[2] A[1]^T and everything above do not depend on it
        for (int l = 2; l <= 3; l++) {
            assertTrue(bad.array(l, "W").verdict().passes(), bad.toString());
            assertTrue(bad.array(l, "b").verdict().passes(), bad.toString());
        }
        assertTrue(bad.worstEntry().orElseThrow().layer() == 1, bad.toString());

        String out = buffer.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("planted bug in layer 1         WRONG"), out);
        assertTrue(out.contains("W[1], b[1]"), out);
        BufferedImage image = ImageIO.read(run.images().get(0).toFile());
        assertNotNull(image);
        assertEquals(860, image.getWidth());
        assertEquals(460, image.getHeight());
    }

    @Test
    void theBrokenActivationIsOnlyInTheDemonstrationsOwnRegistry() {
        assertFalse(PluginRegistry.defaults().names(Activation.class).contains(GradcheckCommand.BUGGY));
        PluginRegistry demo = GradcheckCommand.registryWithBug();
        assertTrue(demo.names(Activation.class).contains(GradcheckCommand.BUGGY));
        assertTrue(demo.names(Activation.class).containsAll(PluginRegistry.defaults().names(Activation.class)));
        assertEquals(GradcheckCommand.BUGGY, demo.create(Activation.class, GradcheckCommand.BUGGY).toString());
    }

    @Test
    void courseModeGivesTheAssignmentsDifferences(@TempDir Path dir) {
        GradcheckCommand command = new GradcheckCommand();
        new CommandLine(command).parseArgs("--course", "--out", dir.toString());
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        GradcheckCommand.CourseRun run = (GradcheckCommand.CourseRun) command.run(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        // "There is a mistake in the backward propagation! difference = 0.2850931567761623"
        assertEquals(Course.GRADCHECK_BUGGY, run.plantedCourseCost(), 1e-10);
        assertEquals(Course.GRADCHECK_BUGGY, run.planted(), 1e-7);
        // the assignment's test expects 1.1890913024229996e-07 once fixed: a difference made of the rounding noise of its
        // cost formula, reproduced to a few digits; from Z nnkit's numeric gradient is a hundred times closer
        assertEquals(Course.GRADCHECK_CORRECT, run.differenceCourseCost(), 1e-10);
        assertTrue(run.difference() < 1e-8, "difference " + run.difference());
        assertEquals(47, run.report().entries().size());
        assertTrue(buffer.toString(StandardCharsets.UTF_8).contains("0.2850931567761623"), buffer.toString(StandardCharsets.UTF_8));
    }
}
