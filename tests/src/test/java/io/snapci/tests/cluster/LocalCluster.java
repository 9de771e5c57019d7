package io.snapci.tests.cluster;

import io.snapci.server.SnapciServer;
import io.snapci.server.config.ServeConfigLoader;
import io.snapci.tests.mesos.AgentSpec;
import io.snapci.tests.mesos.MesosMasterPeer;
import io.snapci.tests.mesos.PeerOptions;
import io.snapci.tests.mesos.StaticFiles;
import io.snapci.tests.mesos.agent.AgentRuntime;
import io.snapci.tests.mesos.agent.SecretResolver;
import io.snapci.tests.mesos.agent.ExecutingAgent;
import io.snapci.tests.mesos.agent.ImageCatalogue;
import io.snapci.tests.portworx.OpenStorageSdkPeer;
import io.snapci.tests.support.ClusterServe;
import io.snapci.tests.support.Snapci;
import org.apache.curator.test.TestingServer;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A whole DC/OS cluster's worth of snapci on one machine, every part that can run here real: {@code snapci serve} in
 * mesos mode with the package's configuration, a real ZooKeeper for its state, and around it the peers of what
 * cannot run here: the Mesos master peer with <em>executing</em> agents (they fetch snapci's real executor bundle
 * over HTTP, run the task groups' commands as the tasks' users in per-task sandboxes, mount {@code pxd} docker
 * volumes, run TCP checks and send the default executor's updates), and the OpenStorage SDK peer keeping real data
 * (a volume is a directory, a snapshot and a clone real copies of it).
 *
 * <p>Agents: {@value #CI_AGENT} (and {@value #CI_AGENT_2} when asked for) carry {@code tier:ci}, {@value #OTHER_AGENT}
 * {@code tier:prod}: snapci must place runs on the former only; {@code zone} is {@code a} on {@value #CI_AGENT} and
 * {@value #OTHER_AGENT}, {@code b} on {@value #CI_AGENT_2}. Each agent is also a Portworx storage node of the
 * same name, so a clone mounted by a task on an agent is attached to that node. Images the agents can "pull":
 * {@value #CASSANDRA_IMAGE} (the official image's manifest, its {@code /opt/cassandra/lib} being this build's
 * Cassandra jars and its {@code /opt/java/openjdk} this JVM's Java), {@value #GUESTBOOK_IMAGE} (a test image with the
 * guestbook's tests at its WORKDIR {@code /guestbook}), and any the caller adds.
 */
public final class LocalCluster implements AutoCloseable {

    public static final String TOKEN = ClusterServe.TOKEN;
    public static final String CI_AGENT = "ci-1";
    public static final String CI_AGENT_2 = "ci-2";
    public static final String OTHER_AGENT = "prod-1";
    public static final String CASSANDRA_IMAGE = "cassandra:5.0";
    public static final String GUESTBOOK_IMAGE = "snapci-demo/guestbook-tests:1";
    public static final String GUESTBOOK_WORKDIR = "/guestbook";

    private final Path work;
    private final TestingServer zookeeper;
    private final OpenStorageSdkPeer portworx;
    private final MesosMasterPeer master;
    private final StaticFiles downloads;
    private final URI bundleUri;
    private final String bundlePath;
    private final List<String> agents = new ArrayList<>();
    private final Map<String, String> secrets = new java.util.concurrent.ConcurrentHashMap<>();
    private SnapciServer serve;

    private LocalCluster(Path work, TestingServer zookeeper, OpenStorageSdkPeer portworx, MesosMasterPeer master,
                         StaticFiles downloads, URI bundleUri, String bundlePath) {
        this.work = work;
        this.zookeeper = zookeeper;
        this.portworx = portworx;
        this.master = master;
        this.downloads = downloads;
        this.bundleUri = bundleUri;
        this.bundlePath = bundlePath;
    }

    /**
     * Starts ZooKeeper, the peers and the agents (serve is started by {@link #serve}). {@code ciAgents} is 1 or 2;
     * {@code images} are added to the agents' catalogue.
     */
    public static LocalCluster start(Path work, int ciAgents, ImageCatalogue.Image... images) throws Exception {
        Files.createDirectories(work);
        // An agent's work directory is 0755 down to each sandbox, so that a task's user can reach its own.
        Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        List<AutoCloseable> started = new ArrayList<>();
        try {
            TestingServer zookeeper = new TestingServer(true);
            started.add(zookeeper);
            OpenStorageSdkPeer portworx = new OpenStorageSdkPeer(Clock.systemUTC()).withData(work.resolve("portworx"));
            started.add(portworx);
            StaticFiles downloads = new StaticFiles();
            started.add(downloads);
            Path bundle = ExecutorBundle.locate();
            String bundlePath = "/snapci/" + bundle.getFileName();
            URI bundleUri = downloads.serve(bundlePath, Files.readAllBytes(bundle));
            // Offers every second, as a real master allocates (--allocation_interval 1secs).
            MesosMasterPeer master = MesosMasterPeer.start(PeerOptions.realMaster());
            started.add(master);
            LocalCluster cluster = new LocalCluster(work, zookeeper, portworx, master, downloads, bundleUri, bundlePath);
            ImageCatalogue catalogue = ImageCatalogue.of(images).with(cassandraImage()).with(cluster.guestbookImage());
            cluster.addAgent(CI_AGENT, "ci", "a", 31000, catalogue);
            if (ciAgents > 1) {
                cluster.addAgent(CI_AGENT_2, "ci", "b", 31200, catalogue);
            }
            cluster.addAgent(OTHER_AGENT, "prod", "a", 31400, catalogue);
            return cluster;
        } catch (Exception | Error e) {
            java.util.Collections.reverse(started);
            for (AutoCloseable c : started) {
                try {
                    c.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /** The official cassandra:5.0 image, its jars and Java being this machine's. */
    static ImageCatalogue.Image cassandraImage() {
        ImageCatalogue.Image official = ImageCatalogue.cassandra(CASSANDRA_IMAGE, "5.0.6",
                Snapci.cassandraRuntime().libDir());
        Map<String, Path> files = new LinkedHashMap<>(official.files());
        files.put("/opt/java/openjdk", Path.of(System.getProperty("java.home")));
        return new ImageCatalogue.Image(official.name(), official.workingDir(), official.user(), official.env(),
                official.entrypoint(), official.cmd(), files);
    }

    /** A CI image with the guestbook's tests in its WORKDIR; Maven and Java from this machine's PATH. */
    private ImageCatalogue.Image guestbookImage() throws IOException {
        Path copy = work.resolve("images").resolve("guestbook");
        copyTree(Snapci.repoRoot().resolve("examples").resolve("guestbook"), copy);
        return ImageCatalogue.image(GUESTBOOK_IMAGE).workingDir(GUESTBOOK_WORKDIR)
                .env("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
                .env("JAVA_HOME=" + System.getProperty("java.home"))
                .file(GUESTBOOK_WORKDIR, copy).build();
    }

    /** Copies a source tree, without its build output ({@code target/}). */
    private static void copyTree(Path from, Path to) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.filter(p -> !from.relativize(p).toString().startsWith("target")).toList()) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private void addAgent(String id, String tier, String zone, int firstPort, ImageCatalogue catalogue)
            throws IOException {
        portworx.addNode(id, Map.of("snapci/tier", tier), Map.of());
        // DC/OS agents run volume/secret, their secrets resolved from the cluster's secret store (DC/OS Enterprise),
        // and volume/host_path (the class-archive directory, made on the "hosts" as an operator would).
        Files.createDirectories(classArchives());
        AgentRuntime runtime = AgentRuntime.builder().workDir(Files.createDirectories(work.resolve("agents").resolve(id)))
                .images(catalogue).volumes(portworx.dockerVolumes(id)).secretIsolator(SecretResolver.store(secrets))
                .hostPathIsolator().build();
        // 8 cpus: two runs (1 + 1 + 0.1 cpus each) fit on one agent at once.
        master.addAgent(AgentSpec.agent(id).hostname(id + ".cluster.local").cpus(8).mem(12_000).disk(20_000)
                .ports(firstPort, firstPort + 99).attribute("tier", tier).attribute("zone", zone).executing(runtime)
                .build());
        agents.add(id);
    }

    /**
     * The CI agents' class-archive directory (cassandra.class_archive_host_path): one directory on this machine for
     * every agent, as the same path on each host of a real cluster.
     */
    public Path classArchives() {
        return work.resolve("hosts").resolve("snapci-class-archives");
    }

    /** The class-data archives the runs' nodes left in {@link #classArchives()}. */
    public List<Path> classArchiveFiles() throws IOException {
        try (var files = Files.list(classArchives())) {
            return files.filter(f -> f.getFileName().toString().matches("cassandra-.*\\.jsa")).toList();
        }
    }

    /** Puts a secret into the cluster's secret store, as {@code dcos security secrets create -v VALUE NAME} does. */
    public void putSecret(String name, String value) {
        secrets.put(name, value);
    }

    /** A production volume whose bytes are {@code dataDir} (a production node's Cassandra home). */
    public String addProductionVolume(String name, Path dataDir) {
        return portworx.addVolume(name, Map.of("app", "guestbook"), 10L << 30, dataDir);
    }

    /**
     * Starts serve in mesos mode on the cluster, as the package configures it, with the executor bundle served
     * here and tasks running as root (the guestbook's Maven needs a home to write); {@code env} overrides.
     */
    public SnapciServer serve(Map<String, String> env) throws IOException {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("SNAPCI_MESOS_EXECUTOR_URI", bundleUri.toString());
        all.put("SNAPCI_MESOS_USER", "root");
        all.put("SNAPCI_CASSANDRA_MEM", "1536");
        all.put("SNAPCI_CASSANDRA_CLASS_ARCHIVE_HOST_PATH", classArchives().toString());
        all.putAll(env);
        serve = SnapciServer.start(ServeConfigLoader.load(null,
                ClusterServe.packageEnv(Files.createDirectories(work.resolve("serve")), zookeeper, master, portworx,
                        all), Map.of()));
        return serve;
    }

    /** Stops serve (as a scheduler that is killed or restarted); the cluster and its tasks stay. */
    public void stopServe() {
        if (serve != null) {
            serve.close();
            serve = null;
        }
    }

    public OpenStorageSdkPeer portworx() {
        return portworx;
    }

    public MesosMasterPeer master() {
        return master;
    }

    public ExecutingAgent agent(String id) {
        return master.executingAgent(id).orElseThrow();
    }

    public List<String> agents() {
        return List.copyOf(agents);
    }

    /** How many times agents downloaded the executor bundle (the fetcher caches it per agent and user). */
    public int bundleDownloads() {
        return downloads.gets(bundlePath);
    }

    public long bundleBytes() throws IOException {
        return Files.size(ExecutorBundle.locate());
    }

    /** Every process the agents started that still runs. */
    public List<Long> processes() {
        List<Long> all = new ArrayList<>();
        for (String id : agents) {
            master.executingAgent(id).ifPresent(a -> all.addAll(a.processes()));
        }
        return all;
    }

    @Override
    public void close() throws IOException {
        try (zookeeper; portworx; downloads; master) {
            stopServe();
        }
    }
}
