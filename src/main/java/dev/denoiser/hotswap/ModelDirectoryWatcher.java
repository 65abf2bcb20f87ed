package dev.denoiser.hotswap;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.inference.ModelRegistry;
import dev.denoiser.model.ModelCard;
import dev.denoiser.trust.SafeFiles;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hot reload without Kafka: every {@code models.watchIntervalMillis} it reads the cards under
 * {@code models.dir} and installs any model that is new or whose card has a newer version than the
 * one serving (the registry checks it before swapping: signature, sha256, the card naming its
 * directory, the version step). A version it refused once is not tried again. Symbolic links are
 * not followed: a linked model directory or card is skipped (logged once). Reads run off the event
 * loop.
 */
public final class ModelDirectoryWatcher extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ModelDirectoryWatcher.class);
  private final ModelRegistry registry;
  private final Path root;
  private final long intervalMillis;
  private final Set<String> refused = new HashSet<>();
  private final Set<Path> linksReported = new HashSet<>();
  private long timer = -1;
  private boolean scanning;

  public ModelDirectoryWatcher(ModelRegistry registry, Path root, long intervalMillis) {
    this.registry = registry;
    this.root = root;
    this.intervalMillis = intervalMillis;
  }

  @Override
  public Future<?> start() {
    timer = vertx.setPeriodic(intervalMillis, id -> scan());
    LOG.info("watching {} for new model versions every {} ms", root, intervalMillis);
    return Future.succeededFuture();
  }

  private void scan() {
    if (scanning) {
      return;
    }
    scanning = true;
    vertx.executeBlocking(this::installNewer, false).onComplete(ar -> scanning = false);
  }

  /** Installs what changed; returns how many versions were swapped in. */
  int installNewer() {
    int n = 0;
    for (Path dir : candidates()) {
      ModelCard card;
      try {
        card =
            ModelCard.fromJson(
                new io.vertx.core.json.JsonObject(
                    new String(
                        SafeFiles.read(dir.resolve(ModelCard.FILE), 1 << 20),
                        java.nio.charset.StandardCharsets.UTF_8)));
      } catch (IOException | RuntimeException e) {
        continue; // being written, or not a card; the registry's loadAll logged it at start-up
      }
      String key =
          dir.getFileName() + ":" + card.name() + "@" + card.version() + "#" + card.sha256();
      boolean newer =
          !registry.has(card.name()) || card.version() > registry.card(card.name()).version();
      if (!newer || refused.contains(key)) {
        continue;
      }
      try {
        registry.install(dir);
        n++;
      } catch (DenoiserException e) {
        refused.add(key);
      }
    }
    return n;
  }

  private List<Path> candidates() {
    try (Stream<Path> s = Files.list(root)) {
      return s.filter(
              p -> {
                boolean real =
                    SafeFiles.isRealDirectory(p) && SafeFiles.isRealFile(p.resolve(ModelCard.FILE));
                if (!real
                    && Files.isRegularFile(p.resolve(ModelCard.FILE))
                    && linksReported.add(p)) {
                  LOG.warn(
                      "{} is a symbolic link (or holds one as its card); models are not read through links",
                      p);
                }
                return real;
              })
          .sorted()
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }
}
