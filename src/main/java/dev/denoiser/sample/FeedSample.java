package dev.denoiser.sample;

import dev.denoiser.config.Setting;
import dev.denoiser.config.Settings;
import dev.denoiser.frame.Frame;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A uniform sample of the frames each selected model served (reservoir sampling, algorithm R):
 * every served frame of a model has the same chance to be in its sample, which holds at most {@code
 * feed.sample.maxFrames} frames and {@code feed.sample.maxBytes} bytes of pixels. Models not named
 * by {@code feed.sample.models} are never sampled (the default names none).
 *
 * <p>Thread-safe: the batcher offers frames on its event loop, the trainer takes snapshots on its
 * worker. Meters per model: {@code denoiser_feed_sample_frames}, {@code denoiser_feed_sample_bytes}
 * (gauges) and {@code denoiser_feed_sample_seen} (frames offered). {@link #close()} writes the
 * sample to {@code feed.sample.dir} when set, and otherwise drops it.
 */
public final class FeedSample implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FeedSample.class);
  public static final String FILE = "feed-sample.bin";
  private static final int MAGIC = 0x46534d31; // "FSM1"

  private final ModelSelection models;
  private final int maxFrames;
  private final long maxBytes;
  private final Path dir;
  private final MeterRegistry meters;
  private final Map<String, Reservoir> reservoirs = new ConcurrentHashMap<>();
  private final List<BiConsumer<String, SampledFrame>> listeners = new CopyOnWriteArrayList<>();
  private final long seed;
  private volatile boolean closed;

  public FeedSample(
      ModelSelection models,
      int maxFrames,
      long maxBytes,
      Path dir,
      MeterRegistry meters,
      long seed) {
    if (maxFrames < 0 || maxBytes < 0) {
      throw new IllegalArgumentException(
          "feed.sample.maxFrames and feed.sample.maxBytes must be 0 or more");
    }
    this.models = models;
    this.maxFrames = maxFrames;
    this.maxBytes = maxBytes;
    this.dir = dir;
    this.meters = meters;
    this.seed = seed;
  }

  /** The sample of {@code feed.sample.*}, with what {@code feed.sample.dir} holds loaded. */
  public static FeedSample from(Settings s, MeterRegistry meters) {
    String d = s.getString(Setting.FEED_SAMPLE_DIR).trim();
    FeedSample f =
        new FeedSample(
            ModelSelection.parse(s.getString(Setting.FEED_SAMPLE_MODELS)),
            s.getInt(Setting.FEED_SAMPLE_MAX_FRAMES),
            s.getLong(Setting.FEED_SAMPLE_MAX_BYTES),
            d.isEmpty() ? null : Path.of(d),
            meters,
            System.nanoTime());
    f.load();
    return f;
  }

  public ModelSelection models() {
    return models;
  }

  /** True when frames of {@code model} are sampled. */
  public boolean samples(String model) {
    return !closed && models.includes(model) && maxFrames > 0;
  }

  /** Called with each frame that enters a sample (e.g. to copy it to a topic). */
  public void onAdmit(BiConsumer<String, SampledFrame> listener) {
    listeners.add(listener);
  }

  /** Offers a served frame of {@code model} with its noise sigma; true if it entered the sample. */
  public boolean offer(String model, Frame f, double sigma) {
    return samples(model)
        && admitted(model, reservoir(model).offer(() -> SampledFrame.of(f, sigma)));
  }

  /** Offers an already sampled frame (read from the sample topic or the sample file). */
  public boolean offer(String model, SampledFrame f) {
    return samples(model) && admitted(model, reservoir(model).offer(() -> f));
  }

  private boolean admitted(String model, SampledFrame f) {
    if (f == null) {
      return false;
    }
    for (BiConsumer<String, SampledFrame> l : listeners) {
      try {
        l.accept(model, f);
      } catch (RuntimeException e) {
        LOG.warn("feed sample listener failed: {}", e.toString());
      }
    }
    return true;
  }

  /** A copy of the sample of {@code model} (empty when none). */
  public List<SampledFrame> snapshot(String model) {
    Reservoir r = reservoirs.get(model);
    return r == null ? List.of() : r.items();
  }

  public int frames(String model) {
    Reservoir r = reservoirs.get(model);
    return r == null ? 0 : r.size();
  }

  public long bytes(String model) {
    Reservoir r = reservoirs.get(model);
    return r == null ? 0 : r.bytes();
  }

  public long seen(String model) {
    Reservoir r = reservoirs.get(model);
    return r == null ? 0 : r.seen();
  }

  private Reservoir reservoir(String model) {
    return reservoirs.computeIfAbsent(
        model,
        m -> {
          Reservoir r =
              new Reservoir(
                  new SplittableRandom(seed ^ m.hashCode()),
                  meters == null
                      ? null
                      : Counter.builder("denoiser_feed_sample_seen")
                          .tag("model", m)
                          .description("Served frames offered to the feed sample")
                          .register(meters));
          if (meters != null) {
            Gauge.builder("denoiser_feed_sample_frames", r, Reservoir::size)
                .tag("model", m)
                .description("Frames held in the feed sample")
                .register(meters);
            Gauge.builder("denoiser_feed_sample_bytes", r, Reservoir::bytes)
                .tag("model", m)
                .description("Bytes of pixels held in the feed sample")
                .register(meters);
          }
          return r;
        });
  }

  /** Writes the sample to {@code feed.sample.dir} when set; then drops it from memory. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (dir != null) {
      try {
        int n = save(dir.resolve(FILE));
        LOG.info("feed sample: {} frame(s) written to {}", n, dir.resolve(FILE));
      } catch (IOException e) {
        LOG.warn("feed sample: cannot write {}: {}", dir.resolve(FILE), e.toString());
      }
    }
    reservoirs.values().forEach(Reservoir::clear);
  }

  int save(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    int n = 0;
    try (DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
      out.writeInt(MAGIC);
      for (Map.Entry<String, Reservoir> e : reservoirs.entrySet()) {
        for (SampledFrame f : e.getValue().items()) {
          out.writeBoolean(true);
          out.writeUTF(e.getKey());
          out.writeInt(f.height());
          out.writeInt(f.width());
          out.writeByte(f.channels());
          out.writeDouble(f.sigma());
          out.write(f.pixels());
          n++;
        }
      }
      out.writeBoolean(false);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return n;
  }

  private void load() {
    if (dir == null || !Files.isRegularFile(dir.resolve(FILE))) {
      return;
    }
    Path file = dir.resolve(FILE);
    int n = 0;
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      if (in.readInt() != MAGIC) {
        throw new IOException("not a feed sample file");
      }
      while (in.readBoolean()) {
        String model = in.readUTF();
        int h = in.readInt();
        int w = in.readInt();
        int c = in.readByte();
        double sigma = in.readDouble();
        byte[] px = new byte[Math.multiplyExact(Math.multiplyExact(h, w), c)];
        in.readFully(px);
        if (offer(model, new SampledFrame(px, h, w, c, sigma))) {
          n++;
        }
      }
      LOG.info("feed sample: {} frame(s) read from {}", n, file);
    } catch (EOFException e) {
      LOG.warn("feed sample: {} is truncated; {} frame(s) read", file, n);
    } catch (IOException | RuntimeException e) {
      LOG.warn("feed sample: cannot read {}: {}", file, e.toString());
    }
  }

  /**
   * One model's reservoir: algorithm R over the count bound, random eviction over the byte bound.
   */
  private final class Reservoir {
    private final SplittableRandom rnd;
    private final Counter seenCounter;
    private final ArrayList<SampledFrame> items = new ArrayList<>();
    private long seen;
    private long bytes;

    Reservoir(SplittableRandom rnd, Counter seenCounter) {
      this.rnd = rnd;
      this.seenCounter = seenCounter;
    }

    /**
     * Counts one offered frame and draws whether it enters: always while there is room, else with
     * probability size/seen, replacing a random one (so the byte bound, when it binds first, acts
     * as a smaller count bound). Drawing before the copy keeps the cost of a frame that does not
     * enter to a counter and a random number. Returns the frame that entered, or null.
     */
    synchronized SampledFrame offer(java.util.function.Supplier<SampledFrame> frame) {
      seen++;
      if (seenCounter != null) {
        seenCounter.increment();
      }
      int slot = -1;
      if (items.size() >= maxFrames || bytes >= maxBytes) {
        if (items.isEmpty()) {
          return null;
        }
        long j = rnd.nextLong(seen);
        if (j >= items.size()) {
          return null;
        }
        slot = (int) j;
      }
      SampledFrame f = frame.get();
      if (f.bytes() > maxBytes) {
        return null;
      }
      int keep;
      if (slot >= 0) {
        bytes -= items.get(slot).bytes();
        items.set(slot, f);
        keep = slot;
      } else {
        items.add(f);
        keep = items.size() - 1;
      }
      bytes += f.bytes();
      while (bytes > maxBytes && items.size() > 1) {
        int k = rnd.nextInt(items.size() - 1);
        if (k >= keep) {
          k++;
        }
        SampledFrame gone = items.get(k);
        int last = items.size() - 1;
        items.set(k, items.get(last));
        items.remove(last);
        if (keep == last) {
          keep = k;
        }
        bytes -= gone.bytes();
      }
      return f;
    }

    synchronized List<SampledFrame> items() {
      return List.copyOf(items);
    }

    synchronized int size() {
      return items.size();
    }

    synchronized long bytes() {
      return bytes;
    }

    synchronized long seen() {
      return seen;
    }

    synchronized void clear() {
      items.clear();
      bytes = 0;
    }
  }
}
