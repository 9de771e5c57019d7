package io.snapci.tests.mesos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A TCP listener for tasks to run — CI machines have a JDK, not necessarily netcat or python: {@code Listen.class},
 * compiled here once, served to tasks by URI and run as {@code java -cp . Listen <port>}. It prints
 * {@code listening on <port>} once bound; a port already bound makes it exit 1 with a BindException.
 */
final class TcpListener {

    private static final String SOURCE = """
            public class Listen {
                public static void main(String[] args) throws Exception {
                    try (java.net.ServerSocket server = new java.net.ServerSocket()) {
                        server.bind(new java.net.InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])));
                        System.out.println("listening on " + args[0]);
                        System.out.flush();
                        while (true) {
                            server.accept().close();
                        }
                    }
                }
            }
            """;

    private static byte[] compiled;

    private TcpListener() {
    }

    static synchronized byte[] classFile() {
        if (compiled == null) {
            try {
                Path dir = Files.createTempDirectory("listen");
                Path source = Files.writeString(dir.resolve("Listen.java"), SOURCE, StandardCharsets.UTF_8);
                JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
                if (javac.run(null, null, null, "-d", dir.toString(), source.toString()) != 0) {
                    throw new IllegalStateException("cannot compile Listen.java");
                }
                compiled = Files.readAllBytes(dir.resolve("Listen.class"));
                Files.delete(dir.resolve("Listen.class"));
                Files.delete(source);
                Files.delete(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return compiled;
    }

    /** The shell command that runs the fetched listener on {@code port}. */
    static String command(int port) {
        return io.snapci.tests.support.Snapci.javaBinary() + " -Xmx16m -XX:TieredStopAtLevel=1 -cp . Listen " + port;
    }
}
