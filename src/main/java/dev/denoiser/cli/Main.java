package dev.denoiser.cli;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.loadgen.LoadGenCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line: {@code serve} (the default), {@code trainer}, {@code train}, {@code eval},
 * {@code export}, {@code bench}, {@code loadgen}, and for deployments {@code broker},
 * {@code health} and {@code prepare}, and for model signing {@code keygen} and {@code sign}. Expected failures (bad input, missing data) print one line
 * and exit non-zero;
 * only bugs print a stack trace.
 */
@Command(
    name = "stream-denoiser",
    mixinStandardHelpOptions = true,
    version = "stream-denoiser 0.1.0",
    description = "Denoises image feeds from Kafka, WebSocket and HTTP with ONNX Runtime.",
    subcommands = {ServeCommand.class, TrainerCommand.class, TrainCommand.class, EvalCommand.class, EvalNaturalCommand.class,
        ExportCommand.class, BenchCommand.class, LoadGenCommand.class, BrokerCommand.class,
        HealthCommand.class, PrepareCommand.class, ConfigCommand.class, KeygenCommand.class, SignCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

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
    boolean topLevel = first.equals("-h") || first.equals("--help") || first.equals("-V") || first.equals("--version");
    if (first.startsWith("-") && !topLevel) {
      String[] out = new String[args.length + 1];
      out[0] = "serve";
      System.arraycopy(args, 0, out, 1, args.length);
      return out;
    }
    return args;
  }

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler(Main::handleFailure);
    return cl;
  }

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  private static int handleFailure(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
    PrintWriter err = cl.getErr();
    Throwable t = ex;
    while (t != null && !(t instanceof DenoiserException) && !(t instanceof dev.denoiser.error.UserError)) {
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
