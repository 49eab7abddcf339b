import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.mapper.MapperExtrasPlugin;
import org.elasticsearch.join.ParentJoinPlugin;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.Node;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.reindex.ReindexPlugin;
import org.elasticsearch.transport.Netty4Plugin;

/**
 * Runs a single Elasticsearch 7.17 node in this JVM, built from the Maven Central jars
 * (server + transport-netty4, parent-join, mapper-extras and reindex as classpath plugins).
 *
 * For local development and CI only: embedding skips the bootstrap checks (so it runs as root),
 * there is no security manager, no x-pack, no painless, no analysis-common.
 *
 * Configuration (system property "planledger.es.X", else environment variable, else default):
 *   home            ES_HOME               ./.data/elasticsearch   (path.home; config/ below it)
 *   data            ES_DATA_DIR           <home>/data             (path.data)
 *   logs            ES_LOGS_DIR           <home>/logs             (path.logs)
 *   host            ES_HOST               127.0.0.1               (network.host)
 *   http.port       ES_PORT               9200
 *   transport.port  ES_TRANSPORT_PORT     9300
 *   cluster.name    ES_CLUSTER_NAME       planledger-local
 *   node.name       ES_NODE_NAME          planledger-local-node
 * Any argument of the form key=value is passed through as an extra node setting.
 */
public final class PlanledgerElasticsearch {

    /** Node's plugin-taking constructor is protected, hence this subclass. */
    static final class LocalNode extends Node {
        LocalNode(Environment environment, Collection<Class<? extends Plugin>> classpathPlugins) {
            super(environment, classpathPlugins, true);
        }
    }

    static final List<Class<? extends Plugin>> PLUGINS = Collections.unmodifiableList(
        Arrays.asList(Netty4Plugin.class, ParentJoinPlugin.class, MapperExtrasPlugin.class, ReindexPlugin.class)
    );

    private PlanledgerElasticsearch() {}

    static String cfg(String prop, String env, String def) {
        String v = System.getProperty("planledger.es." + prop);
        if (v == null || v.isEmpty()) v = System.getenv(env);
        return (v == null || v.isEmpty()) ? def : v;
    }

    public static void main(String[] args) throws Exception {
        Path home = Paths.get(cfg("home", "ES_HOME", ".data/elasticsearch")).toAbsolutePath().normalize();
        Path data = Paths.get(cfg("data", "ES_DATA_DIR", home.resolve("data").toString())).toAbsolutePath().normalize();
        Path logs = Paths.get(cfg("logs", "ES_LOGS_DIR", home.resolve("logs").toString())).toAbsolutePath().normalize();
        String nodeName = cfg("node.name", "ES_NODE_NAME", "planledger-local-node");
        Files.createDirectories(home.resolve("config"));
        Files.createDirectories(data);
        Files.createDirectories(logs);

        Settings.Builder settings = Settings.builder()
            .put("path.home", home.toString())
            .put("path.data", data.toString())
            .put("path.logs", logs.toString())
            .put("cluster.name", cfg("cluster.name", "ES_CLUSTER_NAME", "planledger-local"))
            .put("node.name", nodeName)
            .put("network.host", cfg("host", "ES_HOST", "127.0.0.1"))
            .put("http.port", cfg("http.port", "ES_PORT", "9200"))
            .put("transport.port", cfg("transport.port", "ES_TRANSPORT_PORT", "9300"))
            .put("discovery.type", "single-node")
            .put("cluster.routing.allocation.disk.threshold_enabled", false);
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                System.err.println("planledger-es: ignoring argument '" + arg + "' (expected key=value)");
                continue;
            }
            settings.put(arg.substring(0, eq), arg.substring(eq + 1));
        }

        Environment environment = InternalSettingsPreparer.prepareEnvironment(
            settings.build(), Collections.emptyMap(), home.resolve("config"), () -> nodeName);

        // Same order as the stock Elasticsearch bootstrap: error listener, then the config dir's log4j2*.properties.
        LogConfigurator.registerErrorListener();
        LogConfigurator.setNodeName(nodeName); // needed by the %node_name pattern before configuring
        if (Files.exists(environment.configFile().resolve("log4j2.properties"))) {
            LogConfigurator.configure(environment);
        } else {
            LogConfigurator.configureWithoutConfig(environment.settings());
        }
        Logger logger = LogManager.getLogger(PlanledgerElasticsearch.class);

        final Node node;
        try {
            node = new LocalNode(environment, PLUGINS);
        } catch (Throwable t) {
            logger.error("planledger-es: failed to create the node", t);
            shutdownLogging();
            System.exit(1);
            return;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        // A non-daemon thread keeps the JVM alive (Elasticsearch's own threads are daemons).
        Thread keepAlive = new Thread(() -> {
            try {
                stopped.await();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "planledger-es-keepalive");
        keepAlive.setDaemon(false);
        keepAlive.start();

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                logger.info("planledger-es: shutting down");
                node.close();
                if (node.awaitClose(20, TimeUnit.SECONDS) == false) {
                    logger.warn("planledger-es: node did not close within 20s");
                }
                logger.info("planledger-es: stopped");
            } catch (Throwable t) {
                logger.warn("planledger-es: error while closing the node", t);
            } finally {
                shutdownLogging();
                stopped.countDown();
            }
        }, "planledger-es-shutdown"));

        try {
            node.start();
        } catch (Throwable t) {
            logger.error("planledger-es: failed to start the node", t);
            // exit runs the shutdown hook, which closes the node and the logger.
            System.exit(1);
        }
        logger.info("planledger-es: node started (plugins: {})", PLUGINS);
    }

    private static void shutdownLogging() {
        if (LogManager.getContext(false) instanceof LoggerContext) {
            Configurator.shutdown((LoggerContext) LogManager.getContext(false));
        }
    }
}
