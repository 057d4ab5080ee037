package io.swarmshop.testing;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Redis server (or Sentinel) for a test, on a free loopback port: {@code redis-server} from PATH
 * when there is one, else the Redis binary that the embedded-redis artifact ships. Stopped (by its own
 * process handle) when the test closes it.
 */
public final class RedisServer implements AutoCloseable {
  private final int port;
  private final Path directory;
  /** What follows the binary on its command line, the port, folder and log options aside. */
  private final List<String> arguments;
  private Process process;

  private RedisServer(int port, Path directory, List<String> arguments) {
    this.port = port;
    this.directory = directory;
    this.arguments = arguments;
  }

  public static RedisServer start() {
    return start(List.of());
  }

  /** A server with more {@code redis-server} options, e.g. {@code --replicaof 127.0.0.1 6379}. */
  public static RedisServer start(List<String> options) {
    List<String> arguments = new ArrayList<>(List.of("--save", "", "--appendonly", "no"));
    arguments.addAll(options);
    return launched(FreePorts.find(), arguments, null);
  }

  /** A Sentinel with this configuration (Sentinel rewrites its file, so it gets a writable copy). */
  public static RedisServer sentinel(String configuration) {
    return launched(FreePorts.find(), List.of("--sentinel"), configuration);
  }

  private static RedisServer launched(int port, List<String> arguments, String configuration) {
    try {
      Path directory = Files.createTempDirectory("redis-test");
      List<String> all = new ArrayList<>(arguments);
      if (configuration != null) {
        Path file = directory.resolve("sentinel.conf");
        Files.writeString(file, configuration);
        all.add(0, file.toString());
      }
      RedisServer server = new RedisServer(port, directory, List.copyOf(all));
      server.launch();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Stops the server abruptly, as a crash would. */
  public void kill() {
    if (process != null) {
      process.destroyForcibly();
      waitFor(process);
      process = null;
    }
  }

  /** Freezes the server (SIGSTOP): connections stay open but nothing is answered, as on a stalled host. */
  public void pause() {
    signal("STOP");
  }

  /** Lets a paused server go on (SIGCONT). */
  public void resume() {
    signal("CONT");
  }

  private void signal(String name) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
      if (kill.waitFor() != 0) {
        throw new IllegalStateException("kill -" + name + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Sends one command and reads its answer as text: a bulk or simple string as it is, an array as its
   * elements (nested ones flattened), an error as {@code -ERR ...}, nil as null.
   */
  public List<String> call(String... command) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      socket.setSoTimeout(5000);
      StringBuilder request = new StringBuilder("*" + command.length + "\r\n");
      for (String part : command) {
        request.append('$').append(part.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(part).append("\r\n");
      }
      socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.UTF_8));
      List<String> answer = new ArrayList<>();
      readReply(new DataInputStream(new BufferedInputStream(socket.getInputStream())), answer);
      return answer;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void readReply(DataInputStream in, List<String> answer) throws IOException {
    String line = readLine(in);
    switch (line.charAt(0)) {
      case '+', ':' -> answer.add(line.substring(1));
      case '-' -> answer.add(line);
      case '$' -> {
        int length = Integer.parseInt(line.substring(1));
        if (length < 0) {
          answer.add(null);
        } else {
          byte[] bulk = new byte[length + 2];
          in.readFully(bulk);
          answer.add(new String(bulk, 0, length, StandardCharsets.UTF_8));
        }
      }
      case '*' -> {
        for (int i = Integer.parseInt(line.substring(1)); i > 0; i--) {
          readReply(in, answer);
        }
      }
      default -> throw new IOException("not a RESP2 reply: " + line);
    }
  }

  private static String readLine(DataInputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != '\r'; c = in.read()) {
      if (c < 0) {
        throw new IOException("the connection closed in a reply");
      }
      line.append((char) c);
    }
    in.read();
    return line.toString();
  }

  /** Starts it again on the same port and options (its data gone, as after a crash without persistence). */
  public void restart() {
    kill();
    launch();
  }

  @Override
  public void close() {
    kill();
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException ignored) {
      // a temporary folder left behind is harmless
    }
  }

  private void launch() {
    try {
      List<String> command = new ArrayList<>(List.of(binary().toString()));
      command.addAll(arguments);
      command.addAll(List.of("--port", String.valueOf(port), "--bind", "127.0.0.1", "--dir", directory.toString(), "--loglevel", "warning"));
      process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(directory.resolve("redis.log").toFile())
        .start();
      awaitPong();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitPong() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        OutputStream out = socket.getOutputStream();
        out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        byte[] answer = new byte[7];
        if (in.read(answer) > 0 && new String(answer, StandardCharsets.US_ASCII).startsWith("+PONG")) {
          return;
        }
      } catch (IOException notYet) {
        sleep(50);
      }
    }
    throw new IllegalStateException("Redis did not start on port " + port + "; see " + directory.resolve("redis.log"));
  }

  /** redis-server from PATH, else the one embedded-redis ships, copied out once per JVM. */
  public static synchronized Path binary() throws IOException {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir, "redis-server");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    String arch = System.getProperty("os.arch").contains("aarch64") ? "redis-server-6.2.7-linux-arm64" : "redis-server-6.2.6-v5-linux-amd64";
    Path target = Path.of(System.getProperty("java.io.tmpdir"), "swarmshop-" + arch);
    if (!Files.isExecutable(target)) {
      try (InputStream in = RedisServer.class.getClassLoader().getResourceAsStream(arch)) {
        if (in == null) {
          throw new IOException("no redis-server on PATH and no " + arch + " in the embedded-redis artifact");
        }
        Path temporary = Files.createTempFile("redis-server", ".tmp");
        Files.copy(in, temporary, StandardCopyOption.REPLACE_EXISTING);
        temporary.toFile().setExecutable(true);
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
    }
    return target;
  }

  private static void waitFor(Process process) {
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
