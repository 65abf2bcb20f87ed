package dev.denoiser.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A plain TCP client that writes HTTP by hand, byte by byte if need be, for the edge tests. */
final class RawHttp implements AutoCloseable {
  final Socket socket;

  RawHttp(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(15_000);
    socket.setTcpNoDelay(true);
  }

  void write(String s) throws IOException {
    write(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  void write(byte[] b) throws IOException {
    socket.getOutputStream().write(b);
    socket.getOutputStream().flush();
  }

  /**
   * Reads one response: the head, and the body by its Content-Length. Null when the peer closed
   * first.
   */
  Response read() throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      head.write(b);
      byte[] h = head.toByteArray();
      int n = h.length;
      if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
        break;
      }
    }
    if (head.size() == 0) {
      return null;
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    int length = 0;
    for (String line : text.split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    byte[] body = in.readNBytes(length);
    return new Response(text, new String(body, StandardCharsets.UTF_8));
  }

  /**
   * True when the server closed the connection (end of stream or reset) within the socket timeout.
   */
  boolean closedByPeer() throws IOException {
    try {
      return socket.getInputStream().read() == -1;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  record Response(String head, String body) {
    int status() {
      return Integer.parseInt(head.substring(9, 12));
    }

    String header(String name) {
      for (String line : head.split("\r\n")) {
        int c = line.indexOf(':');
        if (c > 0 && line.substring(0, c).equalsIgnoreCase(name)) {
          return line.substring(c + 1).trim();
        }
      }
      return null;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
