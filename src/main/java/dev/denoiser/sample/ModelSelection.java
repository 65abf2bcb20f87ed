package dev.denoiser.sample;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which models a setting names: {@code *} for every model, a comma list of names, or nothing (empty
 * or blank). Spaces around names and empty items are ignored; {@code *} anywhere in the list means
 * all.
 */
public record ModelSelection(boolean all, Set<String> names) {
  public static final ModelSelection NONE = new ModelSelection(false, Set.of());

  public ModelSelection {
    names = Set.copyOf(names);
  }

  public static ModelSelection parse(String spec) {
    if (spec == null || spec.isBlank()) {
      return NONE;
    }
    Set<String> names =
        Arrays.stream(spec.split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toCollection(java.util.TreeSet::new));
    if (names.contains("*")) {
      return new ModelSelection(true, Set.of());
    }
    return new ModelSelection(false, names);
  }

  public boolean includes(String model) {
    return all || names.contains(model);
  }

  /** True when no model is selected. */
  public boolean none() {
    return !all && names.isEmpty();
  }

  @Override
  public String toString() {
    return all ? "*" : String.join(",", new java.util.TreeSet<>(names));
  }
}
