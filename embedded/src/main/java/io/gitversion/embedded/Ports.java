package io.gitversion.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Free ports for the embedded servers: the one place in this JVM that picks them. A port is free when the operating
 * system hands it out for an ephemeral socket; the socket is closed before the server binds it, so two servers starting
 * at the same moment could be handed the same one. This JVM never hands out a port twice, which closes that race among
 * its own servers; a port taken by another process in the gap is a bind failure its caller retries on other ports
 * ({@link #lostRace}).
 */
final class Ports {
  private static final Set<Integer> handedOut = new HashSet<>();

  private Ports() {}

  /** {@code count} distinct ports free now and not handed out before in this JVM. */
  static synchronized int[] free(int count) {
    List<ServerSocket> held = new ArrayList<>();
    try {
      int[] ports = new int[count];
      int found = 0;
      for (int tries = 0; found < count; tries++) {
        if (tries > 1000) {
          throw new IllegalStateException("no free port after 1000 tries");
        }
        ServerSocket socket = new ServerSocket(0); // held open until all are chosen: none is handed out twice here
        held.add(socket);
        if (handedOut.add(socket.getLocalPort())) {
          ports[found++] = socket.getLocalPort();
        }
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    } finally {
      for (ServerSocket socket : held) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // it was open for its port number only
        }
      }
    }
  }

  /** One free port. */
  static int free() {
    return free(1)[0];
  }

  /** Whether {@code failure} is a server's bind failing on a port taken in the meantime. */
  static boolean lostRace(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return true;
      }
    }
    return false;
  }
}
