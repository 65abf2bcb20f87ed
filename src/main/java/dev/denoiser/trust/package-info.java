/**
 * Model integrity: Ed25519 signatures (from the JDK) over a model's card and ONNX bytes, the keys a
 * replica trusts, this process's own key pair, and the rule that decides which models are
 * installed. Used by the loader (verifies), the trainer's distributors (sign) and the CLI (keygen,
 * sign).
 */
package dev.denoiser.trust;
