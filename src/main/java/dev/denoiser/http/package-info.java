/**
 * The HTTP server: the service's REST API ({@code /v1}), the KServe v2 protocol ({@code /v2}),
 * health, metrics, bearer auth and the JSON error format. Other roles add routes through {@link
 * dev.denoiser.http.RouteContributor}.
 *
 * <p>May use: {@code source} and the layers below.
 */
package dev.denoiser.http;
