/**
 * The ingress kit every source uses alike: what sources share ({@link
 * dev.denoiser.source.ServiceContext}), one parameter parser ({@link dev.denoiser.source.Params}),
 * the frame gate that decodes within the limits and checks model and shape once per frame ({@link
 * dev.denoiser.source.FrameGate}), and the overload policy each source configures ({@link
 * dev.denoiser.source.OverloadPolicy}). A new source (MQTT, gRPC, a camera pull) starts here.
 *
 * <p>May use: {@code batching}, {@code inference} and the layers below.
 */
package dev.denoiser.source;
