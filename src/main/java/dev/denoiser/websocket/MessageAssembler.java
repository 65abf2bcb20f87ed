package dev.denoiser.websocket;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;

/**
 * Joins WebSocket frames into messages with a size limit, so an oversized message is refused as
 * soon as its size passes the limit instead of after it was buffered whole. Binary messages go to
 * {@link Sink#binary}; the first text frame goes to {@link Sink#text} (the protocol takes binary
 * frames only); control frames are left to Vert.x.
 */
final class MessageAssembler {
  /** Where assembled messages and violations go. */
  interface Sink {
    void binary(Buffer message);

    void text();

    void tooBig(long bytesSoFar);
  }

  private final long limit;
  private final Sink sink;
  private Buffer partial;
  private boolean failed;

  MessageAssembler(long limit, Sink sink) {
    this.limit = limit;
    this.sink = sink;
  }

  void onFrame(WebSocketFrame f) {
    if (failed || !(f.isBinary() || f.isText() || f.isContinuation())) {
      return;
    }
    if (f.isText()) {
      failed = true;
      sink.text();
      return;
    }
    Buffer data = f.binaryData();
    if (f.isBinary()) {
      partial = null;
    }
    long size = (partial == null ? 0 : partial.length()) + data.length();
    if (size > limit) {
      failed = true;
      partial = null;
      sink.tooBig(size);
      return;
    }
    if (f.isFinal()) {
      Buffer message = partial == null ? data : partial.appendBuffer(data);
      partial = null;
      sink.binary(message);
    } else {
      partial =
          partial == null
              ? Buffer.buffer((int) Math.min(limit, 2L * data.length())).appendBuffer(data)
              : partial.appendBuffer(data);
    }
  }
}
