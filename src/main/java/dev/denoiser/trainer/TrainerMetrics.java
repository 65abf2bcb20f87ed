package dev.denoiser.trainer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/**
 * The trainer's meters (Prometheus adds {@code _total} to counters): {@code
 * denoiser_trainer_runs{model,result}} (promoted, rejected, failed), {@code
 * denoiser_trainer_control_messages{outcome}} (accepted or an error code), {@code
 * denoiser_trainer_reference_frames{outcome}} (accepted or an error code), and the gauges {@code
 * denoiser_trainer_reference_buffer_frames} (frames held) and {@code
 * denoiser_trainer_last_images_per_second}.
 */
public final class TrainerMetrics {
  private final MeterRegistry registry;
  private volatile double lastSpeed;

  public TrainerMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("denoiser_trainer_last_images_per_second", () -> lastSpeed)
        .description("Training speed of the last finished run")
        .register(registry);
  }

  void run(String model, TrainingRun.State result) {
    registry.counter("denoiser_trainer_runs", "model", model, "result", result.label()).increment();
  }

  void speed(double imagesPerSecond) {
    lastSpeed = imagesPerSecond;
  }

  void control(String outcome) {
    registry.counter("denoiser_trainer_control_messages", "outcome", outcome).increment();
  }

  void reference(String outcome) {
    registry.counter("denoiser_trainer_reference_frames", "outcome", outcome).increment();
  }

  void bufferGauge(Supplier<Number> frames) {
    Gauge.builder("denoiser_trainer_reference_buffer_frames", frames)
        .description("Reference frames held in the trainer's buffer")
        .register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }
}
