package com.payouts.app;

/** Names of the settings, the same as their environment variables. */
public final class ConfigKeys {
  public static final String HTTP_PORT = "PAYOUTS_HTTP_PORT";
  public static final String PG_URL = "PAYOUTS_PG_URL";
  public static final String PG_POOL_SIZE = "PAYOUTS_PG_POOL_SIZE";
  public static final String REDIS_URL = "PAYOUTS_REDIS_URL";
  public static final String GATEWAY_DELAY_MS = "PAYOUTS_GATEWAY_DELAY_MS";
  public static final String GATEWAY_SEED = "PAYOUTS_GATEWAY_SEED";
  public static final String GATEWAY_PORT = "PAYOUTS_GATEWAY_PORT";
  public static final String GATEWAY_URL = "PAYOUTS_GATEWAY_URL";
  public static final String GATEWAY_TIMEOUT = "PAYOUTS_GATEWAY_TIMEOUT";
  public static final String GATEWAY_SUCCESS_RATES = "PAYOUTS_GATEWAY_SUCCESS_RATES";
  /**
   * The secret sent to the gateway as {@code Authorization: Bearer <key>} (the built-in gateway
   * refuses any other with 401). Unset: the key generated once for the database and stored in
   * {@code installation_settings}, which every process on that database (serve, gateway,
   * process-payouts, seed) then shares. Set it to a real processor's key when PAYOUTS_GATEWAY_URL
   * names one; set it to the same value in every process when they should not share a database.
   */
  public static final String GATEWAY_API_KEY = "PAYOUTS_GATEWAY_API_KEY";
  /** Chaos: fraction of gateway calls executed whose answer is never sent. */
  public static final String GATEWAY_HANG_RATE = "PAYOUTS_GATEWAY_HANG_RATE";
  /** Chaos: fraction of gateway calls refused with 503 before executing. */
  public static final String GATEWAY_FAIL_RATE = "PAYOUTS_GATEWAY_FAIL_RATE";
  public static final String ADMIN_EMAIL = "PAYOUTS_ADMIN_EMAIL";
  public static final String ADMIN_PASSWORD = "PAYOUTS_ADMIN_PASSWORD";
  public static final String PROCESSOR_CONCURRENCY = "PAYOUTS_PROCESSOR_CONCURRENCY";
  public static final String PROCESSOR_INSTANCES = "PAYOUTS_PROCESSOR_INSTANCES";
  public static final String RETRY_DELAYS = "PAYOUTS_RETRY_DELAYS";
  public static final String RETRY_SWEEP_INTERVAL = "PAYOUTS_RETRY_SWEEP_INTERVAL";
  public static final String LEASE = "PAYOUTS_LEASE";
  /** How long an Idempotency-Key answers its first response. */
  public static final String IDEMPOTENCY_TTL = "PAYOUTS_IDEMPOTENCY_TTL";
  public static final String DATA_DIR = "PAYOUTS_DATA_DIR";
  public static final String CONFIG_FILE = "PAYOUTS_CONFIG";
  /** The HTTP edge: how long a connection may idle, take over a request's headers, and over its body. */
  public static final String HTTP_IDLE_TIMEOUT = "PAYOUTS_HTTP_IDLE_TIMEOUT";
  public static final String HTTP_HEADER_TIMEOUT = "PAYOUTS_HTTP_HEADER_TIMEOUT";
  public static final String HTTP_BODY_TIMEOUT = "PAYOUTS_HTTP_BODY_TIMEOUT";
  public static final String HTTP_MAX_CONNECTIONS_PER_CLIENT = "PAYOUTS_HTTP_MAX_CONNECTIONS_PER_CLIENT";
  public static final String BRIDGE_MAX_SOCKETS_PER_SESSION = "PAYOUTS_BRIDGE_MAX_SOCKETS_PER_SESSION";
  /** Comma list of proxy addresses and CIDR ranges whose X-Forwarded-For is believed. */
  public static final String TRUSTED_PROXIES = "PAYOUTS_TRUSTED_PROXIES";
  /** true behind TLS: the session cookie is Secure and named __Host-payouts_session. */
  public static final String SECURE_COOKIES = "PAYOUTS_SECURE_COOKIES";

  /**
   * The approval policy, e.g. {@code auto-below=50.00,two-approvers-from=1000.00}: below the first
   * a payout without review reasons is approved at creation, from the second it needs two staff
   * users' approvals. Unset: every payout needs one approval.
   */
  public static final String APPROVAL_POLICY = "PAYOUTS_APPROVAL_POLICY";
  /** Per-user request limits that flag a payout for review, e.g. {@code count=5/24h,amount=2000.00/24h}. */
  public static final String VELOCITY_LIMITS = "PAYOUTS_VELOCITY_LIMITS";
  /** The built-in gateway's share (0 to 1) of paid executions that the bank sends back later. */
  public static final String GATEWAY_RETURN_RATE = "PAYOUTS_GATEWAY_RETURN_RATE";
  /** How long after the payment such a return comes. */
  public static final String GATEWAY_RETURN_DELAY = "PAYOUTS_GATEWAY_RETURN_DELAY";
  /**
   * The shared secret of the gateway's webhook signature (HMAC-SHA256). Unset: generated once for
   * the database, like the API key; set it to a real processor's webhook secret.
   */
  public static final String GATEWAY_WEBHOOK_SECRET = "PAYOUTS_GATEWAY_WEBHOOK_SECRET";
  /** Where the built-in gateway posts its events; unset: this service on loopback at its HTTP port. */
  public static final String GATEWAY_WEBHOOK_URL = "PAYOUTS_GATEWAY_WEBHOOK_URL";
  /** How far a webhook signature's timestamp may be from now. */
  public static final String GATEWAY_WEBHOOK_TOLERANCE = "PAYOUTS_GATEWAY_WEBHOOK_TOLERANCE";
  /** How often the gateway's event list is read, to find webhooks that never arrived. */
  public static final String GATEWAY_EVENTS_POLL = "PAYOUTS_GATEWAY_EVENTS_POLL";
  /** The address this node binds and announces to the cluster (Hazelcast and the event bus). */
  public static final String CLUSTER_HOST = "PAYOUTS_CLUSTER_HOST";
  /** Hazelcast's port on this node; the event bus takes a free one beside it. */
  public static final String CLUSTER_PORT = "PAYOUTS_CLUSTER_PORT";
  /** Comma list of host[:port] to join over TCP (no multicast). */
  public static final String CLUSTER_MEMBERS = "PAYOUTS_CLUSTER_MEMBERS";
  /** This node's name in transitions, metrics and logs. */
  public static final String NODE_NAME = "PAYOUTS_NODE_NAME";
  /** How long SIGTERM waits for held jobs to finish before handing them back. */
  public static final String SHUTDOWN_GRACE = "PAYOUTS_SHUTDOWN_GRACE";

  /** The settings of one node of a cluster ({@link NodeSettings}). */
  public static final String[] NODE = {CLUSTER_HOST, CLUSTER_PORT, CLUSTER_MEMBERS, NODE_NAME, SHUTDOWN_GRACE};

  public static final String[] ALL = {
    HTTP_PORT, PG_URL, PG_POOL_SIZE, REDIS_URL, GATEWAY_DELAY_MS, GATEWAY_SEED, GATEWAY_PORT,
    GATEWAY_URL, GATEWAY_TIMEOUT, GATEWAY_SUCCESS_RATES, GATEWAY_API_KEY, GATEWAY_HANG_RATE, GATEWAY_FAIL_RATE, ADMIN_EMAIL, ADMIN_PASSWORD,
    PROCESSOR_CONCURRENCY, PROCESSOR_INSTANCES, RETRY_DELAYS, RETRY_SWEEP_INTERVAL, LEASE, IDEMPOTENCY_TTL, DATA_DIR,
    HTTP_IDLE_TIMEOUT, HTTP_HEADER_TIMEOUT, HTTP_BODY_TIMEOUT, HTTP_MAX_CONNECTIONS_PER_CLIENT,
    BRIDGE_MAX_SOCKETS_PER_SESSION, TRUSTED_PROXIES, SECURE_COOKIES, APPROVAL_POLICY, VELOCITY_LIMITS,
    GATEWAY_RETURN_RATE, GATEWAY_RETURN_DELAY, GATEWAY_WEBHOOK_SECRET, GATEWAY_WEBHOOK_URL, GATEWAY_WEBHOOK_TOLERANCE,
    GATEWAY_EVENTS_POLL
  };

  private ConfigKeys() {}
}
