package dev.denoiser.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code bench refresh} on a small budget: 20 frames of vtest.avi at 128x96 with sigma 75 stream
 * through the service, one self-supervised run of 10 steps, requests flowing throughout. Checks the
 * scenario's plumbing (what was sampled, the sigma estimate, the decision, no failed request), not
 * the gain, which needs the full budget.
 */
@Tag("slow")
class RefreshBenchTest {
  @Test
  void aSmallRefreshRunsThroughTheServiceWithoutFailedRequests() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    RefreshBench bench =
        new RefreshBench(
            new RefreshBench.Options(
                Path.of("models"),
                "natural-gray",
                Path.of(".cache/natural/opencv/vtest.avi"),
                128,
                96,
                75,
                20,
                3,
                10,
                4,
                3e-4,
                1),
            new PrintStream(buf, true, StandardCharsets.UTF_8));
    RefreshBench.Result r = bench.run();
    assertEquals(20, r.sampled());
    assertEquals(75, r.sigmaEstimate(), 12, "sigma estimate " + r.sigmaEstimate());
    assertTrue(r.state().matches("promoted|rejected"), r.state());
    assertTrue(
        r.truePsnrBefore() > 12 && r.truePsnrBefore() < 40, "PSNR before " + r.truePsnrBefore());
    assertTrue(Double.isFinite(r.gateServing()) && Double.isFinite(r.gateCandidate()));
    assertTrue(r.requests() > 0, "requests flowed during the refresh");
    assertEquals(0, r.failed(), "no request failed during the refresh and swap");
    if (r.state().equals("rejected")) {
      assertEquals(
          r.truePsnrBefore(),
          r.truePsnrAfter(),
          1e-9,
          "a rejected candidate changes nothing served");
    }
  }
}
