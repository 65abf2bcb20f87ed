package dev.denoiser.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * Turns SIGTERM, SIGINT and SIGHUP into one call of a drain, on a thread of its own, instead of
 * letting the JVM run its shutdown hooks at once.
 *
 * <p>Why not a shutdown hook: ONNX Runtime registers its own hook ({@code OrtEnvironment} adds one
 * that closes the native environment), and the JVM runs all hooks concurrently. A drain in another
 * hook races it: a batch still running when the environment is closed crashes the JVM (SIGSEGV in
 * libonnxruntime). With the signal handled here, the drain (stop intake, finish the accepted work,
 * commit, close the sessions) completes first, and only then does the caller exit, which runs ONNX
 * Runtime's hook on an idle environment.
 *
 * <p>{@code sun.misc.Signal} is in the {@code jdk.unsupported} module, which every JDK since 9
 * exports for this purpose. Where a signal cannot be handled (for example with {@code -Xrs}),
 * {@link #install} reports it and the caller falls back to a shutdown hook.
 */
final class ShutdownSignals {
  static final List<String> NAMES = List.of("TERM", "INT", "HUP");
  private final AtomicBoolean received = new AtomicBoolean();
  private final Runnable drain;

  ShutdownSignals(Runnable drain) {
    this.drain = drain;
  }

  /** Handles the signals; returns the names that could not be handled. */
  List<String> install() {
    List<String> failed = new ArrayList<>();
    for (String name : NAMES) {
      try {
        Signal.handle(new Signal(name), this::onSignal);
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        failed.add(name);
      }
    }
    return failed;
  }

  private void onSignal(Signal s) {
    if (!received.compareAndSet(false, true)) {
      System.err.println("SIG" + s.getName() + " again: the drain is already running");
      return;
    }
    System.err.println("SIG" + s.getName() + ": draining in-flight work, then exiting");
    Thread t = new Thread(drain, "shutdown-drain");
    t.setDaemon(false);
    t.start();
  }

  /** True once a signal started the drain. */
  boolean received() {
    return received.get();
  }
}
