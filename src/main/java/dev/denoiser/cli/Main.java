package dev.denoiser.cli;

import dev.denoiser.config.JarContents;
import dev.denoiser.error.DenoiserException;
import dev.denoiser.loadgen.LoadGenCommand;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * The command line: {@code serve} (the default), {@code trainer}, {@code train}, {@code eval},
 * {@code export}, {@code bench}, {@code loadgen}, and for deployments {@code broker}, {@code
 * health} and {@code prepare}, for model signing {@code keygen} and {@code sign}, and {@code plot}
 * for the models' pictures. Expected failures (bad input, missing data) print one line and exit
 * non-zero; only bugs print a stack trace.
 *
 * <p>The commands that need PyTorch or the Kafka broker ({@link #FULL_ONLY}) are registered by
 * class name, and only when the class path carries what they need: the serving jar lists only what
 * it can run, and answers those with one line that names the full jar.
 */
@Command(
    name = "stream-denoiser",
    mixinStandardHelpOptions = true,
    version = "stream-denoiser 0.1.0",
    description = "Denoises image feeds from Kafka, WebSocket and HTTP with ONNX Runtime.",
    subcommands = {
      ServeCommand.class,
      LoadGenCommand.class,
      HealthCommand.class,
      PrepareCommand.class,
      ConfigCommand.class,
      KeygenCommand.class,
      SignCommand.class,
      PlotCommand.class
    })
public final class Main implements Runnable {
  /** A command of the full jar only: its name, class, and whether this class path can run it. */
  record FullOnly(String name, String className, BooleanSupplier available) {}

  static final List<FullOnly> FULL_ONLY =
      List.of(
          new FullOnly("trainer", "dev.denoiser.cli.TrainerCommand", JarContents::hasPyTorch),
          new FullOnly("train", "dev.denoiser.cli.TrainCommand", JarContents::hasPyTorch),
          new FullOnly("eval", "dev.denoiser.cli.EvalCommand", JarContents::hasPyTorch),
          new FullOnly(
              "eval-natural", "dev.denoiser.cli.EvalNaturalCommand", JarContents::hasPyTorch),
          new FullOnly("export", "dev.denoiser.cli.ExportCommand", JarContents::hasPyTorch),
          new FullOnly("bench", "dev.denoiser.cli.BenchCommand", JarContents::hasBroker),
          new FullOnly("broker", "dev.denoiser.cli.BrokerCommand", JarContents::hasBroker));

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code (tests call this instead of main). */
  public static int run(String... args) {
    System.setProperty("java.awt.headless", "true");
    CommandLine cl = commandLine();
    // serve is the default command
    return cl.execute(withDefaultCommand(args));
  }

  /** serve is the default command: no arguments, or options only ({@code --set k=v}), run it. */
  static String[] withDefaultCommand(String[] args) {
    if (args.length == 0) {
      return new String[] {"serve"};
    }
    String first = args[0];
    boolean topLevel =
        first.equals("-h")
            || first.equals("--help")
            || first.equals("-V")
            || first.equals("--version");
    if (first.startsWith("-") && !topLevel) {
      String[] out = new String[args.length + 1];
      out[0] = "serve";
      System.arraycopy(args, 0, out, 1, args.length);
      return out;
    }
    return args;
  }

  /** The commands only the full jar runs. */
  public static List<String> fullJarCommands() {
    return FULL_ONLY.stream().map(FullOnly::name).toList();
  }

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    for (FullOnly c : FULL_ONLY) {
      cl.addSubcommand(
          c.name(),
          c.available().getAsBoolean() ? load(c.className()) : new NeedsFullJar(c.name()));
    }
    cl.addSubcommand("help", new CommandLine.HelpCommand());
    cl.setExecutionExceptionHandler(Main::handleFailure);
    return cl;
  }

  private static Object load(String className) {
    try {
      return Class.forName(className);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("command class missing: " + className, e);
    }
  }

  /** Stands in for a command of the full jar: not listed, and says where to run it. */
  @Command(hidden = true, description = "Needs the full jar.")
  static final class NeedsFullJar implements Callable<Integer> {
    private final String name;
    @Unmatched List<String> ignored;

    NeedsFullJar(String name) {
      this.name = name;
    }

    @Override
    public Integer call() {
      throw new UserError(
          JarContents.needsFullJar("'" + name + "'")
              + ": java -jar "
              + JarContents.FULL_JAR
              + " "
              + name);
    }
  }

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  private static int handleFailure(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
    PrintWriter err = cl.getErr();
    Throwable t = ex;
    while (t != null
        && !(t instanceof DenoiserException)
        && !(t instanceof dev.denoiser.error.UserError)) {
      t = t.getCause();
    }
    if (t != null) {
      String code = t instanceof DenoiserException de ? de.code() + ": " : "error: ";
      err.println(code + t.getMessage());
      err.flush();
      return 2;
    }
    err.println("error: " + ex);
    ex.printStackTrace(err);
    err.flush();
    return 1;
  }

  /**
   * The former name of {@link dev.denoiser.error.UserError}, kept so that commands written against
   * it still compile; new code throws the {@code error} package's type.
   */
  public static final class UserError extends dev.denoiser.error.UserError {
    private static final long serialVersionUID = 1L;

    public UserError(String message) {
      super(message);
    }

    public UserError(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
