package com.payouts.app;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.EnumSet;
import java.util.regex.Pattern;

/**
 * The Vert.x of a {@code serve} process: with Micrometer metrics into the given Prometheus registry
 * (HTTP server requests per route, pools, event bus), and with {@code --cluster} an event bus
 * clustered over Hazelcast. Hazelcast binds and announces {@link NodeSettings#clusterHost()} only,
 * joins the listed members over TCP, never multicasts and never phones home.
 */
public final class NodeVertx {
  private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|[0-9a-fA-F:]+");

  private NodeVertx() {}

  public static Future<Vertx> start(boolean clustered, NodeSettings node, PrometheusMeterRegistry registry) {
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions().setEnabled(true)
        .setLabels(EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE, Label.POOL_TYPE, Label.POOL_NAME));
    VertxOptions options = new VertxOptions().setMetricsOptions(metrics);
    VertxBuilder builder = Vertx.builder().withMetrics(new MicrometerMetricsFactory(registry));
    if (!clustered) return Future.succeededFuture(builder.with(options).build());
    options.setEventBusOptions(new EventBusOptions().setHost(node.clusterHost()).setPort(0)
        .setClusterPublicHost(node.clusterHost()));
    return builder.with(options).withClusterManager(new HazelcastClusterManager(hazelcast(node))).buildClustered();
  }

  static Config hazelcast(NodeSettings node) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName("payouts");
    // Only loopback or the named address, quick to notice a member that died, nothing sent outside.
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.health.monitoring.level", "OFF");
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(node.clusterPort()).setPortAutoIncrement(true).setPortCount(20);
    if (IP_LITERAL.matcher(node.clusterHost()).matches()) {
      network.getInterfaces().setEnabled(true).addInterface(node.clusterHost());
      config.setProperty("hazelcast.socket.bind.any", "false");
    }
    network.setPublicAddress(node.clusterHost());
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(node.members());
    return config;
  }
}
