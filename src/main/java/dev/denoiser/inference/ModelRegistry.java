package dev.denoiser.inference;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import dev.denoiser.metrics.ServiceMetrics;
import dev.denoiser.model.ModelCard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models this replica serves, by name, each pointing at its current {@link ModelHandle}.
 *
 * <p>{@link #install(Path)} is the one way in, for the start-up scan, the watched directory and the
 * models topic alike: load the new version beside the old, check it (see {@link ModelLoader}),
 * refuse it if its input/output contract differs from the version serving or if it is not newer,
 * then swap the reference atomically and release the old handle, which closes once the batches
 * running on it finish. A refused model changes nothing: the old version keeps serving.
 *
 * <p>Versions only move forward, by at most {@code models.maxVersionStep} ({@link #limits}; a first
 * version must be at most that step too), so no version can pin a model near {@code
 * Long.MAX_VALUE}. A load (checks and test run) that takes longer than {@code
 * models.installTimeoutMillis} is refused (reason {@code timeout}) and left to finish on its own
 * thread, whose handle is then released; loads run outside the registry's lock, so one that hangs
 * holds up no other install.
 *
 * <p>Thread-safe: loads run on worker threads, lookups on any thread.
 */
public final class ModelRegistry implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);
  private final ModelLoader loader;
  private final ServiceMetrics metrics;
  private final String defaultModel;
  private final Map<String, AtomicReference<ModelHandle>> models = new ConcurrentHashMap<>();
  private final List<Consumer<ModelCard>> listeners = new CopyOnWriteArrayList<>();
  private final java.util.concurrent.ExecutorService loads =
      java.util.concurrent.Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "denoiser-model-load");
            t.setDaemon(true);
            return t;
          });
  private volatile long maxVersionStep = 1_000_000L;
  private volatile long installTimeoutMillis = 120_000L;

  public ModelRegistry(ModelLoader loader, ServiceMetrics metrics, String defaultModel) {
    this.loader = loader;
    this.metrics = metrics;
    this.defaultModel = defaultModel;
  }

  /** Sets the largest version step and the install timeout; returns this. */
  public ModelRegistry limits(long maxVersionStep, long installTimeoutMillis) {
    this.maxVersionStep = Math.max(1, maxVersionStep);
    this.installTimeoutMillis = Math.max(1, installTimeoutMillis);
    return this;
  }

  /** The loader's trust (keys, signer), or null when it checks no signatures. */
  public dev.denoiser.trust.ModelTrust trust() {
    return loader.trust();
  }

  /** Called (on the installing thread) after a model is added or swapped, with its new card. */
  public void onChange(Consumer<ModelCard> listener) {
    listeners.add(listener);
  }

  /**
   * Installs every {@code <dir>/<name>/} that has a card. A bad model is logged, counted and
   * skipped; the others still load.
   *
   * @return the number installed
   */
  public int loadAll(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new DenoiserException(ErrorCode.MODEL_NOT_FOUND, "models directory not found: " + dir);
    }
    List<Path> subdirs;
    try (Stream<Path> s = Files.list(dir)) {
      subdirs = s.filter(p -> Files.isRegularFile(p.resolve(ModelCard.FILE))).sorted().toList();
    } catch (IOException e) {
      throw new DenoiserException(
          ErrorCode.MODEL_NOT_FOUND, "cannot list " + dir + ": " + e.getMessage());
    }
    int n = 0;
    for (Path p : subdirs) {
      try {
        install(p);
        n++;
      } catch (DenoiserException e) {
        // logged and counted by install; the other models still load
      }
    }
    return n;
  }

  /**
   * Loads, checks and swaps in the model in {@code dir}.
   *
   * @return the card now serving
   * @throws DenoiserException MODEL_REJECTED with the reason; the old version keeps serving
   */
  public ModelCard install(Path dir) {
    String nameHint = dir.getFileName().toString();
    ModelHandle fresh;
    try {
      ModelCard incoming = ModelLoader.readCard(dir);
      checkVersion(incoming);
      fresh = loadWithTimeout(dir, incoming.name());
    } catch (DenoiserException e) {
      metrics.modelLoadFailure(nameHint, reasonTag(e.getMessage()));
      LOG.warn("{} (from {}); the serving version, if any, stays", e.getMessage(), dir);
      throw e;
    }
    ModelCard card = fresh.card();
    ModelHandle old;
    synchronized (this) {
      try {
        // again under the lock: another install may have swapped a version in meanwhile
        checkVersion(card);
      } catch (DenoiserException e) {
        fresh.release();
        metrics.modelLoadFailure(nameHint, reasonTag(e.getMessage()));
        LOG.warn("{} (from {}); the serving version, if any, stays", e.getMessage(), dir);
        throw e;
      }
      AtomicReference<ModelHandle> ref =
          models.computeIfAbsent(card.name(), k -> new AtomicReference<>());
      old = ref.getAndSet(fresh);
    }
    metrics.modelVersion(card.name(), card.version());
    if (old != null) {
      metrics.modelSwap(card.name());
      LOG.info("model {} swapped: version {} -> {}", card.name(), old.version(), card.version());
      old.release();
    } else {
      LOG.info(
          "model {} version {} loaded ({}, {} on {})",
          card.name(),
          card.version(),
          card.architecture(),
          card.dynamicSize()
              ? "any HxW multiple of " + card.sizeMultiple()
              : card.height() + "x" + card.width(),
          loader.device());
    }
    for (Consumer<ModelCard> l : listeners) {
      try {
        l.accept(card);
      } catch (RuntimeException e) {
        LOG.warn("model change listener failed: {}", e.toString());
      }
    }
    return card;
  }

  private void checkVersion(ModelCard incoming) {
    if (incoming.version() < 1) {
      throw ModelLoader.reject(incoming.name(), "version " + incoming.version() + " is below 1");
    }
    ModelHandle current = current(incoming.name());
    if (current != null) {
      checkReplaces(current.card(), incoming);
      // both are positive, so the difference cannot overflow
      if (incoming.version() - current.card().version() > maxVersionStep) {
        throw ModelLoader.reject(
            incoming.name(),
            "version "
                + incoming.version()
                + " jumps more than "
                + maxVersionStep
                + " (models.maxVersionStep) past the serving version "
                + current.card().version());
      }
    } else if (incoming.version() > maxVersionStep) {
      throw ModelLoader.reject(
          incoming.name(),
          "first version "
              + incoming.version()
              + " is over "
              + maxVersionStep
              + " (models.maxVersionStep)");
    }
  }

  /** Loads on a thread of its own; refuses it when it takes longer than the install timeout. */
  private ModelHandle loadWithTimeout(Path dir, String name) {
    java.util.concurrent.CompletableFuture<ModelHandle> f =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> loader.load(dir), loads);
    try {
      return f.get(installTimeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      // the load cannot be interrupted inside ONNX Runtime: let it end, then drop what it made
      f.thenAccept(ModelHandle::release);
      throw ModelLoader.reject(
          name,
          "install timeout: checks and test run took more than "
              + installTimeoutMillis
              + " ms (models.installTimeoutMillis)");
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof DenoiserException de) {
        throw de;
      }
      throw ModelLoader.reject(name, "load failed: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      f.thenAccept(ModelHandle::release);
      throw ModelLoader.reject(name, "install interrupted");
    }
  }

  private static void checkReplaces(ModelCard serving, ModelCard incoming) {
    if (incoming.version() <= serving.version()) {
      throw ModelLoader.reject(
          incoming.name(),
          "version "
              + incoming.version()
              + " is not newer than the serving version "
              + serving.version());
    }
    if (serving.height() != incoming.height()
        || serving.width() != incoming.width()
        || serving.sizeMultiple() != incoming.sizeMultiple()
        || serving.latentDim() != incoming.latentDim()) {
      throw ModelLoader.reject(
          incoming.name(),
          "its input/output contract differs from the serving version "
              + serving.version()
              + " (size "
              + shape(serving)
              + ", latent "
              + serving.latentDim()
              + " vs size "
              + shape(incoming)
              + ", latent "
              + incoming.latentDim()
              + ")");
    }
  }

  private static String shape(ModelCard c) {
    return c.dynamicSize() ? "any/" + c.sizeMultiple() : c.height() + "x" + c.width();
  }

  private static String reasonTag(String message) {
    if (message == null) {
      return "other";
    }
    for (String tag : List.of("unsigned", "untrusted_key", "bad_signature", "install timeout")) {
      if (message.contains(tag)) {
        return tag.replace("install ", "");
      }
    }
    if (message.contains("symbolic link")
        || message.contains("a model's name is its directory's")) {
      return "path";
    }
    if (message.contains("models.maxVersionStep") || message.contains("is below 1")) {
      return "version_step";
    }
    if (message.contains("sha256")) {
      return "checksum";
    }
    if (message.contains("not newer")) {
      return "stale_version";
    }
    if (message.contains("does not parse") || message.contains("cannot load")) {
      return "parse";
    }
    if (message.contains("shape")
        || message.contains("input")
        || message.contains("output")
        || message.contains("contract")) {
      return "signature";
    }
    return "other";
  }

  private ModelHandle current(String name) {
    AtomicReference<ModelHandle> ref = models.get(name);
    return ref == null ? null : ref.get();
  }

  /** The name a request without one goes to: the configured default if loaded, else the first. */
  public String defaultModel() {
    if (models.containsKey(defaultModel)) {
      return defaultModel;
    }
    return models.keySet().stream().sorted().findFirst().orElse(defaultModel);
  }

  /** Resolves null or blank to the default model. */
  public String resolveName(String name) {
    return name == null || name.isBlank() ? defaultModel() : name;
  }

  public boolean has(String name) {
    return models.containsKey(name);
  }

  public boolean isEmpty() {
    return models.isEmpty();
  }

  /**
   * @throws DenoiserException MODEL_NOT_FOUND
   */
  public ModelCard card(String name) {
    ModelHandle h = current(name);
    if (h == null) {
      throw notFound(name);
    }
    return h.card();
  }

  /** Cards of every model, by name. */
  public Map<String, ModelCard> cards() {
    Map<String, ModelCard> out = new TreeMap<>();
    models.forEach(
        (k, v) -> {
          ModelHandle h = v.get();
          if (h != null) {
            out.put(k, h.card());
          }
        });
    return out;
  }

  /**
   * The current version of {@code name}, with a reference the caller must {@link
   * ModelHandle#release()}.
   */
  public ModelHandle acquire(String name) {
    AtomicReference<ModelHandle> ref = models.get(name);
    if (ref == null) {
      throw notFound(name);
    }
    while (true) {
      ModelHandle h = ref.get();
      if (h == null) {
        throw notFound(name);
      }
      if (h.tryAcquire()) {
        return h;
      }
      // lost a race with a swap that closed h: the reference now points at the new version
      Thread.onSpinWait();
    }
  }

  private DenoiserException notFound(String name) {
    return new DenoiserException(
        ErrorCode.MODEL_NOT_FOUND,
        "model '" + name + "' not found; loaded: " + new ArrayList<>(cards().keySet()));
  }

  @Override
  public synchronized void close() {
    loads.shutdown();
    models
        .values()
        .forEach(
            ref -> {
              ModelHandle h = ref.getAndSet(null);
              if (h != null) {
                h.release();
              }
            });
    models.clear();
  }
}
